// Checks made before any parsing: bounded input, no NUL bytes, bounded nesting.
import { ShellError } from './errors.ts';

export const DEFAULT_MAX_LENGTH = 65536;
export const DEFAULT_MAX_NESTING = 64;
export const DEFAULT_MAX_UNWRAP = 8;

/**
 * Nesting is estimated from brackets and quotes without parsing, so quoted brackets count
 * too: an over-estimate that can only reject, never admit, a deeper line.
 */
export function precheck(line: unknown, maxLength: number, maxNesting: number): asserts line is string {
  if (typeof line !== 'string') throw new ShellError('invalid_input', 'a shell line must be a string');
  const nul = line.indexOf('\0');
  if (nul >= 0) throw new ShellError('nul_byte', 'NUL bytes are not allowed in a shell line', nul);
  if (line.length > maxLength) throw new ShellError('too_long', `shell line longer than ${maxLength} characters`, maxLength);
  let depth = 0;
  let backtick = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 40 || c === 123 || c === 91) depth++; // ( { [
    else if ((c === 41 || c === 125 || c === 93) && depth > 0) depth--;
    else if (c === 96) {
      backtick = !backtick;
      depth += backtick ? 1 : -1;
    }
    if (depth > maxNesting) throw new ShellError('too_deep', `nesting deeper than ${maxNesting}`, i);
  }
}
