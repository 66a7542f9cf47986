// A strict JSON parser for request bodies and MCP messages. JSON.parse silently keeps the last of
// two equal keys while other servers keep the first, so a policy could judge a different value than
// the one that runs; this parser reports duplicates, and caps nesting before it can hurt.

import type { JsonValue } from './types.ts';

export type JsonResult =
  | { ok: true; value: JsonValue; duplicateKey: boolean }
  | { ok: false; code: 'invalid_json' | 'too_deep'; message: string; position: number };

class JsonFail extends Error {
  constructor(readonly code: 'invalid_json' | 'too_deep', message: string, readonly position: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function parseJson(text: string, maxDepth = 64): JsonResult {
  const p = new Parser(text, maxDepth);
  try {
    p.ws();
    const value = p.value(0);
    p.ws();
    if (p.i !== text.length) p.fail('unexpected data after the JSON value');
    return { ok: true, value, duplicateKey: p.duplicateKey };
  } catch (e) {
    if (e instanceof JsonFail) return { ok: false, code: e.code, message: e.message, position: e.position };
    // RangeError from a pathological input is still a clean failure, never a throw.
    return { ok: false, code: 'invalid_json', message: 'unparseable JSON', position: p.i };
  }
}

class Parser {
  i = 0;
  duplicateKey = false;
  constructor(readonly s: string, readonly maxDepth: number) {}

  fail(message: string): never {
    throw new JsonFail('invalid_json', message, this.i);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): JsonValue {
    const c = this.s.charCodeAt(this.i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth >= this.maxDepth) throw new JsonFail('too_deep', `nesting deeper than ${this.maxDepth}`, this.i);
      return c === 123 ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === 34 /* " */) return this.string();
    if (c === 116 && this.s.startsWith('true', this.i)) { this.i += 4; return true; }
    if (c === 102 && this.s.startsWith('false', this.i)) { this.i += 5; return false; }
    if (c === 110 && this.s.startsWith('null', this.i)) { this.i += 4; return null; }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (m && m[0].length > 0 && m[0] !== '-') {
      this.i += m[0].length;
      return Number(m[0]);
    }
    return this.fail('expected a JSON value');
  }

  object(depth: number): JsonValue {
    this.i++;
    const out: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) { this.i++; return out; }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 34) this.fail('expected a string key');
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail("expected ':'");
      this.i++;
      this.ws();
      const v = this.value(depth);
      if (seen.has(key)) this.duplicateKey = true;
      seen.add(key);
      // '__proto__' must become an own data property, not the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 44) { this.i++; this.ws(); continue; }
      if (c === 125) { this.i++; return out; }
      this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): JsonValue {
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) { this.i++; return out; }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 44) { this.i++; this.ws(); continue; }
      if (c === 93) { this.i++; return out; }
      this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const s = this.s;
    const start = ++this.i;
    let i = start;
    // Fast path: no escapes.
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) { this.i = i + 1; return s.slice(start, i); }
      if (c === 92 || c < 32 || Number.isNaN(c)) break;
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) { this.i = i; this.fail('unterminated string'); }
      if (c === 34) { this.i = i + 1; return out; }
      if (c < 32) { this.i = i; this.fail('control character in string'); }
      if (c !== 92) { out += s[i]; i++; continue; }
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34: out += '"'; break;
        case 92: out += '\\'; break;
        case 47: out += '/'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 110: out += '\n'; break;
        case 114: out += '\r'; break;
        case 116: out += '\t'; break;
        case 117: {
          const hex = s.slice(i, i + 4);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) { this.i = i; this.fail('bad \\u escape'); }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          this.i = i - 1;
          this.fail('bad escape');
      }
    }
  }
}
