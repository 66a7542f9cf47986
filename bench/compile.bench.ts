// Compiler and evaluation benchmarks against the reference figures in ../shared/bench:
//  1. compile gen200.rego (200 rules), median ms in one warm process (target ≤ 150 ms);
//  2. evaluate gate.rego through the SDK: median and p99 µs per entrypoint;
//  3. the same decision written by hand in TypeScript, and the ratio WASM / TS.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from '../src/compile.ts';
import { hostBuiltins } from '../src/policy/builtins/index.ts';
import { compareValues, asValue, valuesEqual, type Value } from '../src/conformance/values.ts';
import { gateDecision } from './gate-baseline.ts';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'bench');

/** OPA 1.7.1 figures from ../shared/bench/README.md. */
const OPA = { compileGen200Ms: 72, compileGateMs: 29, evalUs: { 'gate/decision': 17.3, gate: 29.7, 'gate/allow': 8.6 } as Record<string, number> };

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function compileBench(name: string, text: string, entrypoints: string[], runs: number, opa: number): Promise<void> {
  for (let i = 0; i < 2; i++) await compile({ modules: [{ file: name, text }], entrypoints }); // warm-up
  const ms: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = await compile({ modules: [{ file: name, text }], entrypoints });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    size = r.wasm.length;
  }
  const med = quantile(ms, 0.5);
  console.log(
    `compile ${name.padEnd(12)} median ${fmt(med).padStart(7)} ms  (n=${runs}, wasm ${size} B; target ≤ 150 ms; OPA opa build whole process ${opa} ms; ratio ${fmt(med / opa, 2)})`,
  );
}

/** Sets come back as arrays in some order: compare as sorted multisets at every level. */
function canonical(v: Value): Value {
  if (Array.isArray(v)) return v.map(canonical).sort(compareValues);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  return v;
}

export default async function run(opts: { short: boolean }): Promise<void> {
  if (!existsSync(SHARED)) {
    console.log('compile: skip: ../shared/bench not found');
    return;
  }
  const gen200 = readFileSync(join(SHARED, 'gen200.rego'), 'utf8');
  const gate = readFileSync(join(SHARED, 'gate.rego'), 'utf8');
  const data = JSON.parse(readFileSync(join(SHARED, 'data.json'), 'utf8')) as object;
  const input = JSON.parse(readFileSync(join(SHARED, 'input.json'), 'utf8')) as object;
  const compileRuns = opts.short ? 3 : 15;
  const evalRuns = opts.short ? 2000 : 20000;

  const tCold = process.hrtime.bigint();
  await compile({ modules: [{ file: 'gate.rego', text: gate }], entrypoints: ['gate/allow'] });
  console.log(`compile first call (cold: imports, runtime load) ${fmt(Number(process.hrtime.bigint() - tCold) / 1e6)} ms`);
  await compileBench('gen200.rego', gen200, ['gate/allow', 'gate/deny'], compileRuns, OPA.compileGen200Ms);
  const entrypoints = ['gate/decision', 'gate', 'gate/allow'];
  await compileBench('gate.rego', gate, entrypoints, compileRuns, OPA.compileGateMs);

  const { wasm } = await compile({ modules: [{ file: 'gate.rego', text: gate }], entrypoints });
  const policy = await loadPolicy(wasm as unknown as ArrayBuffer, undefined, hostBuiltins);
  policy.setData(data);

  const timeEval = (fn: () => unknown): number[] => {
    for (let i = 0; i < Math.min(2000, evalRuns); i++) fn(); // warm-up
    const us: number[] = [];
    for (let i = 0; i < evalRuns; i++) {
      const t0 = process.hrtime.bigint();
      fn();
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return us;
  };

  let decisionMedian = 0;
  for (const e of entrypoints) {
    const us = timeEval(() => policy.evaluate(input, e));
    const med = quantile(us, 0.5);
    if (e === 'gate/decision') decisionMedian = med;
    console.log(
      `eval ${e.padEnd(14)} median ${fmt(med, 2).padStart(7)} µs  p99 ${fmt(quantile(us, 0.99), 2).padStart(7)} µs  (n=${evalRuns}; OPA-built module ${OPA.evalUs[e]} µs; ratio ${fmt(med / OPA.evalUs[e]!, 2)})`,
    );
  }

  const wasmDecision = (policy.evaluate(input, 'gate/decision') as Array<{ result: unknown }>)[0]?.result;
  const tsDecision = gateDecision(input, data);
  const agrees = valuesEqual(canonical(asValue(wasmDecision ?? null)), canonical(asValue(tsDecision)));
  const ts = timeEval(() => gateDecision(input, data));
  const tsMed = quantile(ts, 0.5);
  console.log(
    `eval plain TypeScript decision median ${fmt(tsMed, 2)} µs  p99 ${fmt(quantile(ts, 0.99), 2)} µs; WASM/TS ratio ${fmt(decisionMedian / tsMed, 1)}; same decision: ${agrees ? 'yes' : 'NO'}`,
  );
}
