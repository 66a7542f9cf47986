// The shell action document: what a policy sees for one bash command line.

/** A word whose value is not known before bash runs (variable, glob, substitution, ...). */
export interface UnknownWord {
  unknown: true;
  /** Source text of the word, for people reading the document. */
  text: string;
}

/** One word after quote removal, or a marker for a dynamic word (which may expand to 0..n words). */
export type ShellWord = string | UnknownWord;

/** Where a command sits syntactically, outermost first in `contexts`. */
export type ShellContext =
  | 'top'
  | 'command_substitution'
  | 'backticks'
  | 'process_substitution'
  | 'subshell'
  | 'group'
  | 'function'
  | 'test'
  | 'arithmetic'
  | 'heredoc'
  | 'if'
  | 'loop'
  | 'case';

export type RedirectionDir = 'r' | 'w' | 'rw' | 'dup' | 'close' | 'heredoc' | 'herestring';

export interface ShellRedirection {
  /** Operator as written: '>', '>>', '&>', '>&', '<', '<<<', '<<', ... */
  op: string;
  dir: RedirectionDir;
  /** Explicit file descriptor (2 in 2>&1), null when implied. */
  fd: number | null;
  /** File, descriptor, here-string word, or heredoc content (unknown when it expands). */
  target: ShellWord | null;
  /** Heredoc only: whether the body undergoes expansion (unquoted delimiter). */
  expanded?: boolean;
}

export type AssignmentKind = 'prefix' | 'statement' | 'declaration' | 'env';

export interface ShellAssignment {
  name: string;
  value: ShellWord;
  kind: AssignmentKind;
  /** Index into `commands` of the command it applies to (prefix, env, declaration). */
  command: number | null;
}

export interface KubectlSummary {
  tool: 'kubectl';
  verb: string | null;
  resource: string | null;
  name: string | null;
  namespace: string | null;
  all_namespaces: boolean;
}
export interface GitSummary {
  tool: 'git';
  subcommand: string | null;
  push: boolean;
  force: boolean;
  remote: string | null;
}
export interface DockerSummary {
  tool: 'docker';
  subcommand: string | null;
  run: boolean;
  privileged: boolean;
  mounts: ShellWord[];
  image: ShellWord | null;
  host_network: boolean;
  host_pid: boolean;
}
export interface RmSummary {
  tool: 'rm';
  recursive: boolean;
  force: boolean;
  targets: ShellWord[];
}
export interface HttpClientSummary {
  tool: 'curl' | 'wget';
  method: string | null;
  url: ShellWord | null;
  host: string | null;
  uploads: boolean;
}
export type ShellSummary = KubectlSummary | GitSummary | DockerSummary | RmSummary | HttpClientSummary;

export interface CodePayload {
  language: 'python' | 'perl' | 'node' | 'ruby' | 'php' | 'awk';
  text: ShellWord;
}

export interface SqlPayload {
  dialect: 'postgresql' | 'mysql';
  text: ShellWord;
  /** Result of the injected SQL normalizer, when one was given and the text is known. */
  action?: unknown;
}

/** Where a secret was replaced by `<redacted>` in a command, and why (never the value). */
export interface ShellRedaction {
  where: 'argv' | 'assignment' | 'redirection';
  /** Index into the command's argv, assignments or redirections. */
  index: number;
  /** Assignment name, for `where: 'assignment'`. */
  name?: string;
  /** secret_variable, secret_option, password_option, basic_auth, auth_header, cookie, embedded_credentials, secret_line */
  reason: string;
}

export interface ShellCommand {
  argv: ShellWord[];
  /** Basename of argv[0]; null when the program name is dynamic. */
  program: string | null;
  unknown_program: boolean;
  /** Wrapper chain that led to this command, outermost first: ['sudo', 'bash -c']. */
  via: string[];
  /** Innermost syntactic context ('top' at top level). */
  context: ShellContext;
  contexts: ShellContext[];
  assignments: ShellAssignment[];
  redirections: ShellRedirection[];
  summary?: ShellSummary;
  code?: CodePayload;
  sql?: SqlPayload[];
  /** Secrets replaced in this command; absent when none. */
  redactions?: ShellRedaction[];
  /** Byte offsets in the original line (for wrapper payloads: of the wrapper command). */
  position: { start: number; end: number };
}

export interface NetworkIndicators {
  dev_tcp: boolean;
  dev_udp: boolean;
  netcat: boolean;
  netcat_exec: boolean;
  socat: boolean;
  /** curl/wget output piped (directly) into a shell or interpreter. */
  download_to_shell: boolean;
  /** Interactive shell with its streams on a /dev/tcp or /dev/udp socket. */
  reverse_shell: boolean;
  /** Known hosts named by network clients (curl, wget, ssh, nc, /dev/tcp). */
  hosts: string[];
}

export interface ShellParseError {
  code: string;
  message: string;
  position?: number;
}

export interface ShellAction {
  version: 1;
  kind: 'shell';
  commands: ShellCommand[];
  redirections: ShellRedirection[];
  network: NetworkIndicators;
  assignments: ShellAssignment[];
  /** True when any secret in the line was replaced by `<redacted>`. */
  redacted: boolean;
  parse_error?: ShellParseError;
}

export type SqlNormalizer = (text: string, dialect: 'postgresql' | 'mysql') => unknown;

export interface ShellOptions {
  /** Normalizes embedded SQL (psql -c, mysql -e); its result is embedded as `sql[].action`. */
  sql?: SqlNormalizer;
  /** Maximum line length in UTF-16 code units (default 65536). */
  maxLength?: number;
  /** Maximum bracket/quote nesting accepted before parsing (default 64). */
  maxNesting?: number;
  /** Maximum wrapper unwrapping depth (default 8). */
  maxUnwrap?: number;
  /** Use the fast path for plain lines (default true); false forces the full grammar. */
  fastPath?: boolean;
}
