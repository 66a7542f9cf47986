// A failure to interpret a line exactly; becomes the document's parse_error.

export class ShellError extends Error {
  readonly code: string;
  readonly position: number | undefined;
  constructor(code: string, message: string, position?: number) {
    super(message);
    this.code = code;
    this.position = position;
  }
}
