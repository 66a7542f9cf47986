// Every masking failure: a code, a message without any masked value, and where it happened.

export type MaskErrorCode =
  | 'invalid_masks' | 'invalid_mask' | 'unknown_target' | 'unknown_strategy' | 'invalid_jsonpath'
  | 'invalid_table' | 'unknown_hash_key' | 'weak_hash_key' | 'invalid_columns' | 'lineage_mismatch'
  | 'row_shape' | 'too_deep' | 'jsonpath_eval' | 'stream_ended' | 'invalid_input';

export class MaskError extends Error {
  readonly code: MaskErrorCode;
  /** JSON pointer into the mask list ("/2/strategy/kind"), a column index, or undefined. */
  readonly position: string | number | undefined;
  constructor(code: MaskErrorCode, message: string, position?: string | number) {
    super(message);
    this.name = 'MaskError';
    this.code = code;
    this.position = position;
  }
}
