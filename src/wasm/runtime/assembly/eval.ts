// Evaluation entry points of the ABI: opa_eval (1.2) and the context API (1.0).
import { portcullis_eval_plan } from "./env";
import { alloc, heapFloor, opa_heap_ptr_set, setHeapFloor } from "./heap";
import { keepEvalStart } from "./keep";
import { T_SET } from "./value";
import { newMap } from "./map";
import { opa_json_parse } from "./json";
import { dumpValue } from "./dump";
import { fail } from "./abort";

function evalPlan(entrypoint: i32, input: usize, data: usize): usize {
  keepEvalStart();
  const rs = portcullis_eval_plan(entrypoint, input, data);
  return rs != 0 ? rs : newMap(T_SET);
}

/**
 * One-shot evaluation: the heap restarts at heapPtr, the input JSON (inputLen 0 = no input)
 * is parsed, and the result set is returned serialised (format 0 JSON, 1 Rego values).
 */
export function opa_eval(reserved: i32, entrypoint: i32, data: usize, input: usize, inputLen: usize, heapPtr: usize, format: i32): usize {
  // Input text written below the floor has overwritten kept values.
  if (inputLen != 0 && input < heapFloor()) setHeapFloor(0);
  opa_heap_ptr_set(heapPtr);
  let inputValue: usize = 0;
  if (inputLen != 0) {
    inputValue = opa_json_parse(input, inputLen);
    if (inputValue == 0) fail("opa_eval: invalid input JSON");
  }
  return dumpValue(evalPlan(entrypoint, inputValue, data), format != 1);
}

// Context: [entrypoint i32][data][input][result].
export function opa_eval_ctx_new(): usize {
  const c = alloc(16);
  memory.fill(c, 0, 16);
  return c;
}

export function opa_eval_ctx_set_input(c: usize, v: usize): void { store<u32>(c, <u32>v, 8); }
export function opa_eval_ctx_set_data(c: usize, v: usize): void { store<u32>(c, <u32>v, 4); }
export function opa_eval_ctx_set_entrypoint(c: usize, e: i32): void { store<i32>(c, e); }
export function opa_eval_ctx_get_result(c: usize): usize { return load<u32>(c, 12); }

/** Evaluates the context's entrypoint; the result set is read with opa_eval_ctx_get_result. */
export function evalContext(c: usize): i32 {
  store<u32>(c, <u32>evalPlan(load<i32>(c), load<u32>(c, 8), load<u32>(c, 4)), 12);
  return 0;
}
