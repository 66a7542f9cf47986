// Public surface of the shell normalizer.
export { initShell } from './grammar.ts';
export { normalizeShell } from './normalize.ts';
export { shellActionSchema } from './schema.ts';
export type * from './types.ts';
