// Applying the mask obligations of a decision to what comes back: SQL rows, JSON bodies, free text.

export { createRowMasker } from './rows.ts';
export type { RowMasker, RowMaskerOptions } from './rows.ts';
export { createJsonMasker, maskJson, MAX_JSON_DEPTH } from './json.ts';
export type { JsonMasker, JsonMaskResult } from './json.ts';
export { createTextMasker, maskText } from './text.ts';
export type { TextMasker } from './text.ts';
export { validateMasks, targetLabel } from './spec.ts';
export { maskSpecSchema, masksSchema } from './schema.ts';
export { MaskError } from './errors.ts';
export type { MaskErrorCode } from './errors.ts';
export { DETECTOR_NAMES } from './types.ts';
export type {
  ColumnLineage, ColumnTarget, DetectorName, DetectorTarget, FailClosedColumn, FailClosedReason, HashKeys,
  HashStrategy, JsonPathTarget, MaskOptions, MaskReport, MaskSpec, MaskStrategy, MaskTarget, NullStrategy,
  PartialStrategy, RedactStrategy,
} from './types.ts';
