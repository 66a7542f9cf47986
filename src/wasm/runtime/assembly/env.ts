// Host imports of OPA's wasm ABI, plus the placeholder the linker replaces with the policy's plan
// dispatcher. Nothing else is imported.

@external("env", "opa_abort")
export declare function opa_abort(addr: usize): void;

@external("env", "opa_println")
export declare function opa_println(addr: usize): void;

@external("env", "opa_builtin0")
export declare function opa_builtin0(id: i32, ctx: usize): usize;

@external("env", "opa_builtin1")
export declare function opa_builtin1(id: i32, ctx: usize, a: usize): usize;

@external("env", "opa_builtin2")
export declare function opa_builtin2(id: i32, ctx: usize, a: usize, b: usize): usize;

@external("env", "opa_builtin3")
export declare function opa_builtin3(id: i32, ctx: usize, a: usize, b: usize, c: usize): usize;

@external("env", "opa_builtin4")
export declare function opa_builtin4(id: i32, ctx: usize, a: usize, b: usize, c: usize, d: usize): usize;

/** Evaluates entrypoint `entrypoint`; returns the result set (a set of {"result": v}) or 0. */
@external("env", "portcullis_eval_plan")
export declare function portcullis_eval_plan(entrypoint: i32, input: usize, data: usize): usize;
