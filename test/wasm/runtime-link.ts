// A test-only linker: turns runtime.wasm into a loadable "policy" by replacing the
// env.portcullis_eval_plan placeholder with a wasm function and adding the `builtins` and
// `entrypoints` exports the code generator normally provides. The plan returns
// {{"result": {"input": input, "data": data}}} when input is defined, else the empty set.
import binaryen from 'binaryen';

export function linkEchoPolicy(runtime: Uint8Array): Uint8Array {
  binaryen.setDebugInfo(true);
  const m = binaryen.readBinary(runtime);
  try {
    const F = binaryen.Features;
    m.setFeatures(F.SignExt | F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt);
    const byExport = (name: string): string => binaryen.getExportInfo(m.getExport(name)).value;
    const call = (exp: string, args: number[]) => m.call(byExport(exp), args, binaryen.i32);
    let planName = '';
    let abortName = '';
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module === 'env' && info.base === 'portcullis_eval_plan') planName = info.name;
      if (info.module === 'env' && info.base === 'opa_abort') abortName = info.name;
    }
    if (!planName) throw new Error('runtime has no env.portcullis_eval_plan import');

    // Writes `text` into a fresh opa_malloc block held in local `tmp`; yields the block address.
    const bytesInto = (text: string, tmp: number): number[] => {
      const b = new TextEncoder().encode(text);
      const out = [m.local.set(tmp, call('opa_malloc', [m.i32.const(b.length)]))];
      b.forEach((byte, i) => out.push(m.i32.store8(i, 1, m.local.get(tmp, binaryen.i32), m.i32.const(byte))));
      return out;
    };
    const str = (text: string, tmp: number) =>
      m.block(null, [...bytesInto(text, tmp), call('opa_string', [m.local.get(tmp, binaryen.i32), m.i32.const(new TextEncoder().encode(text).length)])], binaryen.i32);
    const json = (text: string, tmp: number) =>
      m.block(null, [...bytesInto(text, tmp), call('opa_json_parse', [m.local.get(tmp, binaryen.i32), m.i32.const(new TextEncoder().encode(text).length)])], binaryen.i32);

    // params: 0 entrypoint, 1 input, 2 data; vars: 3 tmp, 4 inner, 5 outer, 6 set
    const I32 = binaryen.i32;
    const get = (i: number) => m.local.get(i, I32);
    const insert = (o: number, key: string, value: number) => m.call(byExport('opa_object_insert'), [get(o), str(key, 3), value], binaryen.none);
    m.removeFunction(planName);
    m.addFunction(planName, binaryen.createType([I32, I32, I32]), I32, [I32, I32, I32, I32], m.block(null, [
      // Only entrypoint 0 exists: anything else aborts, as generated code does.
      m.if(m.i32.ne(get(0), m.i32.const(0)), m.block(null, [
        ...bytesInto('unknown entrypoint\0', 3),
        m.call(abortName, [get(3)], binaryen.none),
        m.unreachable(),
      ])),
      m.local.set(6, call('opa_set', [])),
      m.if(m.i32.eqz(get(1)), m.return(get(6))),
      m.local.set(4, call('opa_object', [])),
      insert(4, 'input', get(1)),
      insert(4, 'data', get(2)),
      m.local.set(5, call('opa_object', [])),
      insert(5, 'result', get(4)),
      m.call(byExport('opa_set_add'), [get(6), get(5)], binaryen.none),
      get(6),
    ], I32));
    m.addFunction('test:builtins', binaryen.none, I32, [I32], json('{}', 0));
    m.addFunctionExport('test:builtins', 'builtins');
    m.addFunction('test:entrypoints', binaryen.none, I32, [I32], json('{"main":0}', 0));
    m.addFunctionExport('test:entrypoints', 'entrypoints');
    if (!m.validate()) throw new Error('linked module does not validate');
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}
