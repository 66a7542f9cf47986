// What a `with` has replaced for the code planned under it. Functions planned under a context
// are specialised for it: the context's key is part of their identity.

/** What a `with` has replaced for the code planned under it. */
export interface Ctx {
  /** Paths below `data` whose rules are replaced by the (patched) base document. */
  overrides: string[][];
  /** Function name → replacement: another function's name, or a value stored in data.$mocks. */
  mocks: Map<string, { kind: 'func'; target: string[] } | { kind: 'value' }>;
  key: string;
}

export const EMPTY_CTX: Ctx = { overrides: [], mocks: new Map(), key: '' };
export const MOCKS_KEY = '$mocks';

export function addMock(ctx: Ctx, name: string, m: { kind: 'func'; target: string[] } | { kind: 'value' }): Ctx {
  const mocks = new Map(ctx.mocks);
  mocks.set(name, m);
  return { ...ctx, mocks, key: ctxKey(ctx.overrides, mocks) };
}

export function withoutMocks(ctx: Ctx): Ctx {
  return ctx.mocks.size === 0 ? ctx : { ...ctx, mocks: new Map(), key: ctxKey(ctx.overrides, new Map()) };
}

export function addOverride(ctx: Ctx, path: string[]): Ctx {
  const overrides = [...ctx.overrides, path];
  return { ...ctx, overrides, key: ctxKey(overrides, ctx.mocks) };
}

function ctxKey(overrides: string[][], mocks: Ctx['mocks']): string {
  const o = overrides.map((p) => p.join('.')).sort();
  const m = [...mocks].map(([k, v]) => `${k}=${v.kind === 'func' ? v.target.join('.') : '$'}`).sort();
  return JSON.stringify([o, m]);
}
