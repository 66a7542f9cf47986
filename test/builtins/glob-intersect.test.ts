// regex.globs_match against brute force: for small globs over a tiny alphabet, every string up to
// the length a shortest common match can need is tried against both globs (as anchored RegExps).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { intersects, parseGlob } from '../../src/policy/builtins/glob-intersect.ts';

const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[b-c]', '\\.');
const quant = fc.constantFrom('', '', '*', '+');
const glob = fc.array(fc.tuple(atom, quant), { minLength: 0, maxLength: 3 }).map((parts) => parts.map(([a, q]) => a + q).join(''));

/** The glob as an anchored RegExp over the test alphabet ('.' is any of it). */
const toRegExp = (g: string): RegExp => new RegExp(`^${g}$`);
const ALPHABET = ['a', 'b', 'c', '.'];

function* strings(maxLen: number): Generator<string> {
  let layer = [''];
  for (let len = 1; len <= maxLen; len++) {
    const next: string[] = [];
    for (const s of layer) for (const c of ALPHABET) next.push(s + c);
    yield* next;
    layer = next;
  }
}

/** Items that must match exactly one character: a shortest common string needs at most their sum + 1. */
const fixed = (g: string): number => parseGlob(g)!.filter((i) => !i.repeat).length;

test('regex.globs_match agrees with trying every short string', () => {
  fc.assert(fc.property(glob, glob, (a, b) => {
    const x = parseGlob(a);
    const y = parseGlob(b);
    assert.ok(x !== null && y !== null, `${a} / ${b} parse`);
    const ra = toRegExp(a);
    const rb = toRegExp(b);
    let brute = false;
    for (const s of strings(fixed(a) + fixed(b) + 1)) {
      if (ra.test(s) && rb.test(s)) { brute = true; break; }
    }
    assert.is(intersects(x, y), brute, `${JSON.stringify(a)} ∩ ${JSON.stringify(b)}`);
  }), { numRuns: 1500 });
});

test.run();
