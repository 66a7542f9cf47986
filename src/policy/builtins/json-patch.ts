// json.patch(doc, patches): RFC 6902 (add, remove, replace, move, copy, test) with OPA's path
// forms: a JSON pointer with or without the leading slash, or an array of path segments. Any
// failing operation makes the whole call undefined. Sets arrive here as arrays, so a segment
// that is not an array index addresses the member equal to it: adding to a "set" requires the
// value to equal that last segment, as in OPA.
import { isObject, isString, type HostBuiltin } from './values.ts';

class PatchError extends Error {}

const fail = (msg: string): never => {
  throw new PatchError(msg);
};

const same = (a: unknown, b: unknown): boolean => canon(a) === canon(b);

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function segments(path: unknown): unknown[] {
  if (Array.isArray(path)) return path;
  if (!isString(path)) return fail('path must be a string or an array');
  const text = path.startsWith('/') ? path.slice(1) : path;
  if (text === '') return path === '' || path === '/' ? [] : [''];
  return text.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** An array index from a segment: digits without leading zeros, or an integer number. */
function index(seg: unknown): number | undefined {
  if (typeof seg === 'number' && Number.isInteger(seg) && seg >= 0) return seg;
  if (isString(seg) && /^(0|[1-9][0-9]*)$/.test(seg)) return Number(seg);
  return undefined;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function get(doc: unknown, path: unknown[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (isObject(cur) && isString(seg) && seg in cur) cur = cur[seg];
    else if (Array.isArray(cur)) {
      const i = index(seg);
      if (i !== undefined && i < cur.length) cur = cur[i];
      else {
        const member = cur.find((m) => same(m, seg));
        if (member === undefined) fail('path not found');
        cur = member;
      }
    } else fail('path not found');
  }
  return cur;
}

/** Applies one change at the parent of `path`; returns the new document. */
function change(doc: unknown, path: unknown[], op: 'add' | 'remove', value?: unknown): unknown {
  if (path.length === 0) return op === 'add' ? value : fail('cannot remove the root');
  const parent = get(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (isObject(parent)) {
    if (!isString(last)) fail('object keys are strings');
    const k = last as string;
    if (op === 'add') parent[k] = value;
    else if (k in parent) delete parent[k];
    else fail('path not found');
  } else if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : index(last);
    if (i !== undefined) {
      if (op === 'add') {
        if (i > parent.length) fail('index out of range');
        parent.splice(i, 0, value);
      } else {
        if (i >= parent.length) fail('index out of range');
        parent.splice(i, 1);
      }
    } else {
      // A set member, addressed by its value.
      const at = parent.findIndex((m) => same(m, last));
      if (op === 'add') {
        if (!same(value, last)) fail('set members are added under their own value');
        if (at < 0) parent.push(value);
      } else {
        if (at < 0) fail('path not found');
        parent.splice(at, 1);
      }
    }
  } else fail('parent is not a container');
  return doc;
}

function apply(doc: unknown, p: unknown): unknown {
  if (!isObject(p) || !isString(p.op)) return fail('a patch is an object with an op');
  if (!('path' in p)) fail('missing path');
  const path = segments(p.path);
  const from = (): unknown[] => ('from' in p ? segments(p.from) : fail('missing from'));
  const value = (): unknown => ('value' in p ? clone(p.value) : fail('missing value'));
  switch (p.op) {
    case 'add': return change(doc, path, 'add', value());
    case 'remove': return change(doc, path, 'remove');
    case 'replace': {
      get(doc, path);
      return change(change(doc, path, 'remove'), path, 'add', value());
    }
    case 'move': {
      const src = from();
      const v = clone(get(doc, src));
      return change(change(doc, src, 'remove'), path, 'add', v);
    }
    case 'copy': return change(doc, path, 'add', clone(get(doc, from())));
    case 'test':
      if (!same(get(doc, path), p.value)) fail('test failed');
      return doc;
    default: return fail(`unknown op ${p.op}`);
  }
}

export const jsonPatchBuiltins: Record<string, HostBuiltin> = {
  'json.patch': (doc, patches) => {
    if (!Array.isArray(patches)) return undefined;
    let out = clone(doc);
    for (const p of patches) out = apply(out, p);
    return out;
  },
};
