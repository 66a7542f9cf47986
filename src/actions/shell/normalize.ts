// normalizeShell: one bash line in, one shell action document out. Never throws; anything it
// cannot interpret exactly becomes a document with parse_error (which policies deny).
import { ShellError } from './errors.ts';
import { getParser } from './grammar.ts';
import { DEFAULT_MAX_LENGTH, DEFAULT_MAX_NESTING, DEFAULT_MAX_UNWRAP, precheck } from './limits.ts';
import { emptyNetwork, networkOf } from './network.ts';
import { basename, str } from './options.ts';
import { parseLine } from './parse.ts';
import { codeOf, sqlOf } from './payloads.ts';
import { summarize } from './summary.ts';
import type { ShellAction, ShellAssignment, ShellCommand, ShellContext, ShellOptions, ShellRedirection, ShellWord } from './types.ts';
import { Walker, type RawAssignment, type WalkOutput } from './walk.ts';
import { fastParse } from './fast.ts';
import { readsStdinScript, unwrap } from './wrappers.ts';
import { redactSecrets } from './secrets.ts';

interface Frame {
  contexts: ShellContext[];
  via: string[];
  /** Position of the outermost wrapper when analyzing a payload string. */
  position: { start: number; end: number } | null;
  depth: number;
}

class Analysis {
  readonly commands: ShellCommand[] = [];
  readonly origin: number[] = [];
  readonly redirections: ShellRedirection[] = [];
  readonly assignments: ShellAssignment[] = [];
  readonly pipes: Array<Array<[number, number]>> = [];
  private ids = 0;

  constructor(
    private readonly opts: ShellOptions,
    private readonly maxUnwrap: number,
    private readonly maxLength: number,
    private readonly maxNesting: number,
  ) {}

  analyze(text: string, frame: Frame): void {
    const parser = getParser();
    if (!parser) throw new ShellError('not_initialized', 'call initShell() before normalizeShell()');
    const fast = this.opts.fastPath === false ? null : fastParse(text);
    if (fast) {
      this.record(fast, frame, (p) => p);
      return;
    }
    let parsed;
    try {
      parsed = parseLine(parser, text);
    } catch (e) {
      throw this.relocate(e, frame, (p) => p);
    }
    let out: WalkOutput;
    try {
      const walker = new Walker(parsed.src);
      walker.visit(parsed.tree.rootNode, []);
      out = walker.out;
    } catch (e) {
      throw this.relocate(e, frame, parsed.origin);
    } finally {
      parsed.tree.delete();
    }
    this.record(out, frame, parsed.origin);
  }

  private record(out: WalkOutput, frame: Frame, origin: (p: number) => number): void {
    const base = this.ids;
    this.ids += out.commands.length;
    for (const p of out.pipes) this.pipes.push(p.map(([a, b]) => [a + base, b + base]));
    this.redirections.push(...out.redirections);
    for (const a of out.assignments) this.assignments.push({ ...a, command: null });
    out.commands.forEach((raw, k) => {
      const position = frame.position ?? { start: origin(raw.start), end: origin(raw.end) };
      this.emit(raw.argv, raw.assignments, raw.redirections, [...frame.contexts, ...raw.contexts], frame.via, position, base + k, frame.depth);
    });
  }

  /** Error positions point into the original line: a payload's errors point at its wrapper. */
  private relocate(e: unknown, frame: Frame, origin: (p: number) => number): unknown {
    if (!(e instanceof ShellError) || e.position === undefined) return e;
    return new ShellError(e.code, e.message, frame.position ? frame.position.start : origin(e.position));
  }

  private emit(
    argv: ShellWord[],
    assignments: RawAssignment[],
    redirections: ShellRedirection[],
    contexts: ShellContext[],
    via: string[],
    position: { start: number; end: number },
    origin: number,
    depth: number,
  ): void {
    const p0 = argv.length > 0 ? str(argv[0]) : null;
    const program = argv.length === 0 ? null : p0 === null ? null : basename(p0);
    const index = this.commands.length;
    const cmd: ShellCommand = {
      argv,
      program,
      unknown_program: argv.length > 0 && p0 === null,
      via,
      context: contexts.length > 0 ? contexts[contexts.length - 1]! : 'top',
      contexts,
      assignments: assignments.map((a) => ({ ...a, command: index })),
      redirections,
      position,
    };
    const summary = summarize(argv);
    if (summary) cmd.summary = summary;
    const code = codeOf(argv);
    if (code) cmd.code = code;
    const sql = sqlOf(argv);
    if (sql) cmd.sql = sql.map((s) => (typeof s.text === 'string' && this.opts.sql ? { ...s, action: this.runSql(s.text, s.dialect) } : s));
    this.commands.push(cmd);
    this.origin.push(origin);
    this.assignments.push(...cmd.assignments);
    const runs = unwrap(argv);
    if (runs.length === 0 && readsStdinScript(argv)) {
      // `bash <<EOF ... EOF` and `sh <<< '...'` run their standard input
      const input = [...redirections].reverse().find((r) => (r.fd === null || r.fd === 0) && (r.dir === 'heredoc' || r.dir === 'herestring' || r.dir === 'r'));
      if (input && input.dir !== 'r' && input.target !== null) runs.push({ kind: 'script', label: `${program ?? 'sh'} <stdin`, text: input.target });
    }
    for (const u of runs) {
      if (depth + 1 > this.maxUnwrap) throw new ShellError('too_deep', `more than ${this.maxUnwrap} nested wrappers`, position.start);
      const chain = [...via, u.label];
      if (u.kind === 'command') {
        this.emit(u.argv, u.assignments, [], contexts, chain, position, origin, depth + 1);
      } else if (typeof u.text !== 'string') {
        this.emit([u.text], [], [], contexts, chain, position, origin, depth + 1);
      } else {
        precheck(u.text, this.maxLength, this.maxNesting);
        this.analyze(u.text, { contexts, via: chain, position, depth: depth + 1 });
      }
    }
  }

  private runSql(text: string, dialect: 'postgresql' | 'mysql'): unknown {
    try {
      return this.opts.sql!(text, dialect);
    } catch (e) {
      return { parse_error: { code: 'sql_normalizer_failed', message: e instanceof Error ? e.message : String(e) } };
    }
  }
}

function failed(code: string, message: string, position?: number): ShellAction {
  const parse_error: ShellAction['parse_error'] = position === undefined ? { code, message } : { code, message, position };
  return { version: 1, kind: 'shell', commands: [], redirections: [], network: emptyNetwork(), assignments: [], redacted: false, parse_error };
}

/** Normalizes one bash command line. Call `await initShell()` once before. */
export function normalizeShell(line: string, opts: ShellOptions = {}): ShellAction {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  try {
    const maxNesting = opts.maxNesting ?? DEFAULT_MAX_NESTING;
    precheck(line, maxLength, maxNesting);
    const a = new Analysis(opts, opts.maxUnwrap ?? DEFAULT_MAX_UNWRAP, maxLength, maxNesting);
    a.analyze(line, { contexts: [], via: [], position: null, depth: 0 });
    return redactSecrets({
      version: 1,
      kind: 'shell',
      commands: a.commands,
      redirections: a.redirections,
      network: networkOf(a.commands, a.redirections, a.pipes, a.origin),
      assignments: a.assignments,
      redacted: false,
    });
  } catch (e) {
    if (e instanceof ShellError) return failed(e.code, e.message, e.position);
    if (e instanceof RangeError) return failed('too_deep', 'input too deeply nested to analyze');
    return failed('internal', `normalizer failure: ${e instanceof Error ? e.message : String(e)}`);
  }
}
