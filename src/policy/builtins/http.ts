// http.send(request): registered so that policies using it compile, but it never performs a
// request — a policy decision in the gateway must not reach the network. The expression is
// always undefined; tests replace it with `with http.send as <mock>`.
import type { HostBuiltin } from './values.ts';

export const httpBuiltins: Record<string, HostBuiltin> = {
  'http.send': () => undefined,
};
