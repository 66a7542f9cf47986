// Name → values in order, as a plain object. Plain, not Object.create(null): V8 keeps a
// null-prototype object in dictionary mode, where adding a key costs ~0.5 µs (most of a short
// query string's parse). Lookups are own-only, and "__proto__" is defined as an own property
// like any other name, so no name can reach or replace the prototype.

export type MultiMap = Record<string, string[]>;

export function append(m: MultiMap, name: string, value: string): void {
  if (Object.hasOwn(m, name)) {
    m[name]!.push(value);
  } else if (name === '__proto__') {
    Object.defineProperty(m, name, { value: [value], enumerable: true, writable: true, configurable: true });
  } else {
    m[name] = [value];
  }
}
