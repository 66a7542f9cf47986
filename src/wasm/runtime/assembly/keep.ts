// Values of data-only rules kept across evaluations (see src/rego/planner/data-only.ts).
//
// portcullis_keep (added by the linker) computes them right after the data is loaded and before
// any input, so they lie between the data and the heap floor it returns; the host then evaluates
// from that floor. Generated code reads a kept value only while it is called with the very data
// document the values came from. Anything that moves the heap below the floor — new data, or an
// SDK that writes its input where the old floor was — forgets them (heap.ts drops the floor).
import { heapFloor, heapTop, opa_heap_ptr_set, setHeapFloor } from "./heap";

let keptData: usize = 0;
let warmingData: usize = 0;

/** Starts computing kept values for `data` with the heap at `heap`; forgets earlier ones. */
export function portcullis_keep_begin(data: usize, heap: usize): void {
  setHeapFloor(0);
  opa_heap_ptr_set(heap);
  keptData = 0;
  warmingData = data;
}

/** Ends a successful portcullis_keep_begin: the values are kept; returns the new heap floor. */
export function portcullis_keep_end(): usize {
  keptData = warmingData;
  warmingData = 0;
  const floor = heapTop();
  setHeapFloor(floor);
  return floor;
}

/** 1 when values kept for `data` may be read: data is the document they were computed from. */
export function portcullis_kept(data: usize): i32 {
  return <i32>(keptData != 0 && data == keptData && heapFloor() != 0);
}

/** 1 while portcullis_keep computes values for `data`. */
export function portcullis_keeping(data: usize): i32 {
  return <i32>(warmingData != 0 && data == warmingData);
}

/** An evaluation starts: a computation of kept values that trapped is over. */
export function keepEvalStart(): void {
  warmingData = 0;
}
