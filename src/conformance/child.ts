// The process that runs cases, so the parent can stop it when a case outlives its time box
// (compile and wasm evaluation are synchronous and cannot be interrupted in-thread).
// Protocol (IPC, advanced serialization so bigints survive):
//   parent → child: { cases: ConformanceCase[], optimize: boolean, depsModule?: string }
//   child → parent: { type: 'start', i } | { type: 'done', i, outcome } | { type: 'fatal', message }
import type { ConformanceCase } from './cases.ts';
import { runCase, type CaseDeps, type CaseOutcome } from './run-case.ts';

export type ToChild = { cases: ConformanceCase[]; optimize: boolean; depsModule?: string };
export type FromChild =
  | { type: 'start'; i: number }
  | { type: 'done'; i: number; outcome: CaseOutcome }
  | { type: 'fatal'; message: string };

const send = (m: FromChild): Promise<void> =>
  new Promise((resolve) => {
    process.send!(m, undefined, {}, () => resolve());
  });

async function depsFor(depsModule: string | undefined, optimize: boolean): Promise<CaseDeps> {
  if (depsModule === undefined) {
    // Loaded here, not at the top: the toolchain (binaryen) is heavy and tests do without it.
    const { caseDeps, loadToolchain } = await import('./toolchain.ts');
    const deps = caseDeps(await loadToolchain(), { optimize });
    // Pay the cold start (binaryen, the runtime module, the JIT) before the first time box opens.
    const { wasm } = await deps.compile({ modules: [{ file: 'warm.rego', text: 'package warm\n\np := 1\n' }], entrypoints: ['warm/p'] });
    (await deps.load(wasm)).evaluate(undefined, 'warm/p', false);
    return deps;
  }
  // Tests substitute the toolchain with a module exporting `deps`.
  const mod = (await import(depsModule)) as { deps: CaseDeps };
  return mod.deps;
}

process.once('message', async (msg: ToChild) => {
  let deps: CaseDeps;
  try {
    deps = await depsFor(msg.depsModule, msg.optimize);
  } catch (e) {
    await send({ type: 'fatal', message: (e as Error).message });
    process.exit(1);
  }
  for (let i = 0; i < msg.cases.length; i++) {
    await send({ type: 'start', i });
    let outcome: CaseOutcome;
    try {
      outcome = await runCase(msg.cases[i]!, deps);
    } catch (e) {
      outcome = { status: 'failed', reason: `crash: runner: ${(e as Error).message}` };
    }
    await send({ type: 'done', i, outcome });
  }
  process.disconnect();
});
