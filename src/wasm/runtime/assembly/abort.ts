// Errors end the evaluation through the host's opa_abort (the SDK throws its message).
import { opa_abort } from "./env";
import { alloc } from "./heap";

/** Copies an AssemblyScript string literal (ASCII) to a NUL-terminated byte string on the heap. */
export function cstr(s: string): usize {
  const n = s.length;
  const p = alloc(<usize>n + 1);
  const src = changetype<usize>(s);
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>load<u16>(src + (<usize>i << 1)));
  store<u8>(p + n, 0);
  return p;
}

export function fail(message: string): void {
  opa_abort(cstr(message));
  unreachable();
}

/** Target of asc's `abort` (assertions, unreachable states): routed to opa_abort. */
export function runtimeAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  opa_abort(cstr(message != null ? message : "runtime error"));
  unreachable();
}
