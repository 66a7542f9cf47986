// The child process behind compileInChild (compile-child.ts): takes one compile request over IPC,
// answers with the wasm or the error as data, and exits, taking the compiler's memory with it.
import type { ChildCompileRequest, ChildReply } from './compile-child.ts';
import { toWire } from './compile-child.ts';

const reply = (m: ChildReply): void => {
  process.send!(m, undefined, {}, () => process.exit(0));
};

if (process.send === undefined) {
  process.stderr.write('compile-worker: run me through compileInChild (needs an IPC channel)\n');
  process.exit(2);
}

// The parent may be gone (killed, crashed): then there is no one to answer, so do not linger.
process.once('disconnect', () => process.exit(0));

process.once('message', (req: ChildCompileRequest) => {
  void (async () => {
    try {
      const { compile } = await import('../compile.ts');
      const r = await compile({ modules: req.modules, entrypoints: req.entrypoints, optimize: req.optimize });
      reply({ ok: true, wasm: r.wasm });
    } catch (e) {
      reply({ ok: false, error: toWire(e) });
    }
  })();
});
