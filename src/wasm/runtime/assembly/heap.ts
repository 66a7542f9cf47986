// One bump allocator for everything: the SDK resets it between evaluations with
// opa_heap_ptr_set, so no allocation may live anywhere else.
import { fail } from "./abort";

/**
 * Where the heap starts. asc folds `__heap_base` into constants, so a linker that appends data
 * segments cannot move it; it sets this exported global instead (0 = use the runtime's own end).
 */
export let portcullis_heap_base: usize = 0;

let heapPtr: usize = 0;

@inline function heapStart(): usize {
  return portcullis_heap_base != 0 ? portcullis_heap_base : __heap_base;
}

@inline export function heapTop(): usize {
  let p = heapPtr;
  if (p == 0) p = heapStart();
  return p;
}

// Bytes known to exist (memory never shrinks; the host may grow it, so this may lag behind).
let memLimit: usize = 0;

function ensureMemory(end: usize): void {
  if (end <= memLimit) return;
  const have = <usize>memory.size();
  memLimit = have << 16;
  if (end <= memLimit) return;
  const need = ((end + 0xffff) >> 16) - have;
  // Grow by at least 1 MiB to amortise growth, then by exactly what is needed if that fails.
  const step = need < 16 ? <usize>16 : need;
  if (memory.grow(<i32>step) < 0 && memory.grow(<i32>need) < 0) fail("out of memory");
  memLimit = <usize>memory.size() << 16;
}

/** Allocates n bytes, 8-byte aligned, uninitialised. */
export function alloc(n: usize): usize {
  return allocInline(n);
}

/** alloc, inlined into the hottest callers (the JSON parser). */
@inline export function allocInline(n: usize): usize {
  const p = (heapTop() + 7) & ~(<usize>7);
  const end = p + n;
  if (end < p) fail("out of memory");
  if (end > memLimit) ensureMemory(end);
  heapPtr = end;
  return p;
}

/** Allocates n zeroed bytes. */
export function allocZeroed(n: usize): usize {
  const p = alloc(n);
  memory.fill(p, 0, n);
  return p;
}

/** Grows the block [p, p+oldSize) in place when it is the last allocation. */
export function tryExtend(p: usize, oldSize: usize, newSize: usize): bool {
  if (p + oldSize != heapPtr || heapPtr == 0) return false;
  const end = p + newSize;
  ensureMemory(end);
  heapPtr = end;
  return true;
}

/** Resizes a block, copying when it cannot grow in place. */
export function realloc(p: usize, oldSize: usize, newSize: usize): usize {
  if (p != 0 && tryExtend(p, oldSize, newSize)) return p;
  const q = alloc(newSize);
  if (oldSize != 0) memory.copy(q, p, oldSize);
  return q;
}

export function opa_malloc(n: usize): usize {
  return alloc(n);
}

/** Memory is reclaimed only by resetting the heap pointer. */
export function opa_free(p: usize): void {}

export function opa_heap_ptr_get(): usize {
  return heapTop();
}

/**
 * The lowest address evaluations may allocate from while kept values (keep.ts) lie below it;
 * 0 = none. Moving the heap below it hands their bytes out again, so it drops them.
 */
let floor: usize = 0;

@inline export function heapFloor(): usize { return floor; }
export function setHeapFloor(p: usize): void { floor = p; }

export function opa_heap_ptr_set(p: usize): void {
  if (p < floor) floor = 0;
  heapPtr = p;
}
