// uuid.rfc4122(k): a random version 4 UUID, the same for the same key within one evaluation
// (OPA caches it per query); evaluation is synchronous, so the cache lives until the task yields.
import { randomUUID } from 'node:crypto';
import { isString, type HostBuiltin } from './values.ts';

let cache: Map<string, string> | undefined;

const rfc4122: HostBuiltin = (k) => {
  if (!isString(k)) return undefined;
  if (cache === undefined) {
    cache = new Map();
    queueMicrotask(() => {
      cache = undefined;
    });
  }
  let id = cache.get(k);
  if (id === undefined) {
    id = randomUUID();
    cache.set(k, id);
  }
  return id;
};

export const uuidBuiltins: Record<string, HostBuiltin> = { 'uuid.rfc4122': rfc4122 };
