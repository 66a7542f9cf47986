// walk(x): every [path, value] pair of a document, pre-order: the root first, then object
// members by sorted key and array elements by index. (Sets arrive as arrays, so their members
// are addressed by position here.) The compiler iterates over the returned array.
import { isObject, type HostBuiltin } from './values.ts';

function collect(value: unknown, path: unknown[], out: unknown[]): void {
  out.push([path, value]);
  if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, i], out));
  else if (isObject(value)) {
    for (const k of Object.keys(value).sort()) collect(value[k], [...path, k], out);
  }
}

export const walkBuiltins: Record<string, HostBuiltin> = {
  walk: (x) => {
    if (x === undefined) return undefined;
    const out: unknown[] = [];
    collect(x, [], out);
    return out;
  },
};
