// The runtime build: stamp-based skipping and the module contract checks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import binaryen from 'binaryen';
import { buildRuntime, checkRuntime, RuntimeBuildError } from '../../src/wasm/runtime/build.ts';
import { runtimeBytes } from './runtime-harness.ts';

test('an unchanged source tree is not rebuilt', async () => {
  await buildRuntime();
  const again = await buildRuntime();
  assert.is(again.rebuilt, false);
  assert.ok(again.bytes > 1000);
});

/** The runtime with one modification applied through binaryen. */
async function modified(change: (m: binaryen.Module) => void): Promise<Uint8Array> {
  binaryen.setDebugInfo(true);
  const m = binaryen.readBinary(await runtimeBytes());
  try {
    const F = binaryen.Features;
    m.setFeatures(F.SignExt | F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt);
    change(m);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

async function rejects(bytes: Uint8Array, code: string): Promise<void> {
  try {
    await checkRuntime(bytes);
  } catch (e) {
    assert.instance(e, RuntimeBuildError);
    assert.is((e as RuntimeBuildError).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('the built runtime passes its own contract check', async () => {
  await checkRuntime(await runtimeBytes());
});

test('a start function is refused', async () => {
  await rejects(await modified((m) => {
    m.addFunction('start', binaryen.none, binaryen.none, [], m.nop());
    m.setStart(m.getFunction('start'));
  }), 'runtime_start_function');
});

test('an unexpected import is refused', async () => {
  await rejects(await modified((m) => {
    m.addFunctionImport('extra', 'env', 'abort', binaryen.createType([binaryen.i32, binaryen.i32, binaryen.i32, binaryen.i32]), binaryen.none);
    m.addFunction('uses', binaryen.none, binaryen.none, [], m.call('extra', [m.i32.const(0), m.i32.const(0), m.i32.const(0), m.i32.const(0)], binaryen.none));
    m.addFunctionExport('uses', 'uses');
  }), 'runtime_import');
});

test('AssemblyScript-managed runtime code is refused', async () => {
  await rejects(await modified((m) => {
    m.addFunction('~lib/rt/stub/__alloc', binaryen.i32, binaryen.i32, [], m.local.get(0, binaryen.i32));
    m.addFunctionExport('~lib/rt/stub/__alloc', '__alloc');
  }), 'runtime_managed_code');
});

test('a missing ABI export is refused', async () => {
  await rejects(await modified((m) => m.removeExport('opa_eval')), 'runtime_export');
});

test.run();
