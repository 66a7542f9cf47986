// Turns what the toolchain throws into the lines a user reads: `file:line:col: code: message`
// for Rego diagnostics, the message alone for anything else.
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export function diagnosticLines(e: unknown): string[] | null {
  if (!(e instanceof Error)) return null;
  const list = (e as { errors?: unknown }).errors;
  if (e.name === 'RegoErrors' && Array.isArray(list)) return list.map((x) => (x as Error).message);
  if (e.name === 'RegoError') return [e.message];
  return null;
}
