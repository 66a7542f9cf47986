// Secrets never leave the gateway: well-known secret carriers in a shell line (secret-named
// variables, password and token options, credentials in URLs, auth headers, heredoc lines)
// are replaced by a fixed marker. The command keeps the option, so policies still see that a
// secret was passed; `redactions` says where and why, never the value. Every other string in
// the document that repeats a redacted value (a `bash -c` string, a summary URL) is scrubbed.
import { basename } from './options.ts';
import type { ShellAction, ShellCommand, ShellRedaction, ShellWord } from './types.ts';

export const REDACTED = '<redacted>';
/** Shorter values are redacted where they are carried but not hunted elsewhere in the document. */
const MIN_SCRUB = 3;

/** Variable names that carry secrets: *PASSWORD*, *TOKEN*, *SECRET*, *_KEY, PGPASSWORD, ... */
const SECRET_NAME = /PASSW(?:OR)?D|PASSPHRASE|TOKEN|SECRET|(?:^|_)KEY$|APIKEY|API_KEY|PRIVATE_KEY|CREDENTIAL|(?:^|_)AUTH$|COOKIE|SESSION_?ID/i;
/** Long options whose value is a secret, for any program (`--token`, `--client-secret`, ...). */
const SECRET_OPTION = /^--(?:[a-z0-9]+-)*(?:token|password|passwd|pass|secret|api-?key|bearer|auth-token|access-key|secret-key)$/i;
const NOT_SECRET_OPTION = new Set(['--with-token', '--password-stdin', '--token-file', '--password-file']);
const MYSQL = new Set(['mysql', 'mariadb', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlshow', 'mysqlcheck', 'mysqlpump', 'mariadb-dump']);
const LOGIN = new Set(['docker', 'podman', 'nerdctl', 'buildah', 'skopeo', 'helm', 'oras', 'crane']);
const AUTH_HEADER = /^(\s*(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|private-token|x-[a-z0-9-]*token)\s*:\s*)(.+)$/is;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):([^\s@/'"]+)@/gi;
const CONNINFO = /(^|[\s;&?'"])(password|passwd|pwd)=([^\s;&'"]+)/gi;
/** `NAME=value` and `NAME: value` lines in heredoc bodies and here-strings. */
const SECRET_LINE = /^([ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*[=:][ \t]*)(\S.*)$/gm;
const ASSIGN_WORD = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

class Redactor {
  readonly secrets = new Set<string>();
  /** Some command had a redaction (a short or unknown value may leave `secrets` empty). */
  any = false;

  /** Records a secret value and returns the marker that replaces it. */
  private keep(value: string): string {
    if (value !== '' && value !== REDACTED) this.secrets.add(value);
    return REDACTED;
  }

  private whole(w: ShellWord): ShellWord {
    if (typeof w === 'string') return this.keep(w);
    return { unknown: true, text: REDACTED };
  }

  command(c: ShellCommand): void {
    const found: ShellRedaction[] = [];
    const argv = c.argv;
    const program = typeof argv[0] === 'string' ? basename(argv[0]) : null;
    // (no closures here: per-call closures cost more than the whole scan)
    const login = program !== null && LOGIN.has(program) && argv.includes('login');
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (typeof a !== 'string') continue;
      // most words carry nothing: no option dash, no `=`, no `://`
      if (a.charCodeAt(0) !== 45 && !a.includes('=') && !a.includes('://')) continue;
      const m = a.includes('=') ? ASSIGN_WORD.exec(a) : null;
      if (m && SECRET_NAME.test(m[1]!) && m[2] !== '') {
        this.set(argv, found, i, `${m[1]!}=${this.keep(m[2]!)}`, 'secret_variable');
        continue;
      }
      if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        const name = eq > 0 ? a.slice(0, eq) : a;
        const isHeader = name === '--header';
        if (isHeader && eq > 0) {
          const h = AUTH_HEADER.exec(a.slice(eq + 1));
          if (h) this.set(argv, found, i, `--header=${h[1]!}${this.keep(h[2]!)}`, 'auth_header');
          continue;
        }
        if (isHeader) {
          this.header(argv, i + 1, found);
          i++;
          continue;
        }
        if ((name === '--user' || name === '--proxy-user') && (program === 'curl' || program === 'wget')) {
          if (eq > 0) this.userPass(argv, i, name.length + 1, found);
          else if (i + 1 < argv.length) this.userPass(argv, ++i, 0, found);
          continue;
        }
        if ((name === '--cookie') && program === 'curl') {
          if (eq > 0) this.set(argv, found, i, `${name}=${this.keep(a.slice(eq + 1))}`, 'cookie');
          else if (i + 1 < argv.length && typeof argv[i + 1] === 'string' && (argv[i + 1] as string).includes('=')) this.next(argv, found, i++, 'cookie');
          continue;
        }
        if (SECRET_OPTION.test(name) && !NOT_SECRET_OPTION.has(name)) {
          if (eq > 0) {
            if (eq + 1 < a.length) this.set(argv, found, i, `${name}=${this.keep(a.slice(eq + 1))}`, 'secret_option');
          } else if (!(program !== null && MYSQL.has(program) && name === '--password')) {
            // mysql's bare --password prompts; everywhere else the next word is the value
            this.next(argv, found, i++, 'secret_option');
          }
          continue;
        }
      } else if (a.startsWith('-') && program !== null) {
        if (MYSQL.has(program) && a.startsWith('-p') && a.length > 2) {
          this.set(argv, found, i, `-p${this.keep(a.slice(2))}`, 'password_option');
          continue;
        }
        if (program === 'sshpass' && a.startsWith('-p')) {
          if (a.length > 2) this.set(argv, found, i, `-p${this.keep(a.slice(2))}`, 'password_option');
          else this.next(argv, found, i++, 'password_option');
          continue;
        }
        if ((login && a === '-p') || (program === 'redis-cli' && a === '-a') || (/^mongo(sh)?$/.test(program) && a === '-p') || (/^ldap/.test(program) && a === '-w')) {
          this.next(argv, found, i++, 'password_option');
          continue;
        }
        if (program === 'openssl' && /^-pass(in|out)?$/.test(a) && typeof argv[i + 1] === 'string' && /^pass:/.test(argv[i + 1] as string)) {
          this.set(argv, found, i + 1, `pass:${this.keep((argv[i + 1] as string).slice(5))}`, 'password_option');
          i++;
          continue;
        }
        if (program === 'curl' || program === 'wget') {
          if (a === '-u' || a === '-U') {
            if (i + 1 < argv.length) this.userPass(argv, ++i, 0, found);
            continue;
          }
          if ((a.startsWith('-u') || a.startsWith('-U')) && a.length > 2 && program === 'curl') {
            this.userPass(argv, i, 2, found);
            continue;
          }
          if (a === '-H') {
            this.header(argv, i + 1, found);
            i++;
            continue;
          }
          if (a === '-b' && program === 'curl' && typeof argv[i + 1] === 'string' && (argv[i + 1] as string).includes('=')) {
            this.next(argv, found, i++, 'cookie');
            continue;
          }
        }
      }
      this.embedded(argv, i, found);
    }
    if (c.assignments.length > 0) this.assignments(c, found);
    for (let k = 0; k < c.redirections.length; k++) {
      const r = c.redirections[k]!;
      if ((r.dir === 'heredoc' || r.dir === 'herestring') && typeof r.target === 'string') {
        const t = this.text(r.target);
        if (t !== r.target) {
          c.redirections[k] = { ...r, target: t };
          found.push({ where: 'redirection', index: k, reason: 'secret_line' });
        }
      }
    }
    if (found.length > 0) {
      c.redactions = found;
      this.any = true;
    }
  }

  private set(argv: ShellWord[], found: ShellRedaction[], i: number, w: ShellWord, reason: string): void {
    argv[i] = w;
    found.push({ where: 'argv', index: i, reason });
  }

  private next(argv: ShellWord[], found: ShellRedaction[], i: number, reason: string): void {
    if (i + 1 < argv.length) this.set(argv, found, i + 1, this.whole(argv[i + 1]!), reason);
  }

  /** `user:password` (curl -u): the password part; a bare user makes curl prompt. */
  private userPass(argv: ShellWord[], i: number, from: number, found: ShellRedaction[]): void {
    const a = argv[i]!;
    if (typeof a !== 'string') {
      argv[i] = { unknown: true, text: REDACTED };
      found.push({ where: 'argv', index: i, reason: 'basic_auth' });
      return;
    }
    const colon = a.indexOf(':', from);
    if (colon < 0) return;
    argv[i] = a.slice(0, colon + 1) + this.keep(a.slice(colon + 1));
    found.push({ where: 'argv', index: i, reason: 'basic_auth' });
  }

  private header(argv: ShellWord[], i: number, found: ShellRedaction[]): void {
    const a = argv[i];
    if (a === undefined) return;
    if (typeof a !== 'string') return;
    const h = AUTH_HEADER.exec(a);
    if (!h) return;
    argv[i] = h[1]! + this.keep(h[2]!);
    found.push({ where: 'argv', index: i, reason: 'auth_header' });
  }

  /** Credentials inside a word: `https://user:tok@host`, `password=...` in a conninfo string. */
  private embedded(argv: ShellWord[], i: number, found: ShellRedaction[]): void {
    const a = argv[i] as string;
    if (!a.includes('://') && !(a.includes('=') && /pass|pwd/i.test(a))) return;
    let out = a.replace(URL_CREDENTIALS, (_, head: string, pw: string) => `${head}:${this.keep(pw)}@`);
    out = out.replace(CONNINFO, (_, pre: string, key: string, pw: string) => `${pre}${key}=${this.keep(pw)}`);
    if (out !== a) {
      argv[i] = out;
      found.push({ where: 'argv', index: i, reason: 'embedded_credentials' });
    }
  }

  private assignments(c: ShellCommand, found: ShellRedaction[]): void {
    c.assignments.forEach((a, k) => {
      if (!SECRET_NAME.test(a.name) || a.value === '') return;
      c.assignments[k] = { ...a, value: this.whole(a.value) };
      found.push({ where: 'assignment', index: k, name: a.name, reason: 'secret_variable' });
    });
  }

  /** Secret-looking lines of a heredoc body or here-string. */
  text(t: string): string {
    if (!/PASS|PWD|TOKEN|SECRET|KEY|AUTH|COOKIE|CREDENTIAL|:\/\//i.test(t)) return t;
    let out = t.replace(SECRET_LINE, (line: string, head: string, value: string) => {
      const name = head.replace(/^[ \t]*(?:export[ \t]+)?/, '').replace(/[ \t]*[=:][ \t]*$/, '');
      if (SECRET_NAME.test(name) || /^(?:authorization|proxy-authorization|cookie)$/i.test(name)) return head + this.keep(value);
      return line;
    });
    out = out.replace(URL_CREDENTIALS, (_, head: string, pw: string) => `${head}:${this.keep(pw)}@`);
    return out;
  }

  /** Replaces every remaining occurrence of a redacted value in any string of the document. */
  scrub<T>(v: T): T {
    const list = [...this.secrets].filter((s) => s.length >= MIN_SCRUB).sort((a, b) => b.length - a.length);
    if (list.length === 0) return v;
    const go = (x: unknown): unknown => {
      if (typeof x === 'string') {
        let s = x;
        for (const sec of list) if (s.includes(sec)) s = s.split(sec).join(REDACTED);
        return s;
      }
      if (Array.isArray(x)) return x.map(go);
      if (x !== null && typeof x === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(x)) o[k] = k === 'redactions' ? val : go(val);
        return o;
      }
      return x;
    };
    return go(v) as T;
  }
}

/** Redacts secrets in a finished document (commands, assignments, redirections); returns it. */
export function redactSecrets(doc: ShellAction): ShellAction {
  const r = new Redactor();
  for (const c of doc.commands) r.command(c);
  // the line-level lists hold copies: redact them from the commands' results and by name
  if (doc.assignments.length > 0) doc.assignments = doc.assignments.map((a) => {
    if (a.command !== null) return doc.commands[a.command]?.assignments.find((x) => x.name === a.name && x.kind === a.kind) ?? a;
    return SECRET_NAME.test(a.name) && a.value !== '' ? { ...a, value: typeof a.value === 'string' ? (r.secrets.add(a.value), REDACTED) : { unknown: true, text: REDACTED } } : a;
  });
  if (doc.redirections.some((x) => x.dir === 'heredoc' || x.dir === 'herestring')) doc.redirections = doc.redirections.map((x) => ((x.dir === 'heredoc' || x.dir === 'herestring') && typeof x.target === 'string' ? { ...x, target: r.text(x.target) } : x));
  if (r.secrets.size === 0 && !r.any && !doc.assignments.some((a) => a.value === REDACTED || (typeof a.value !== 'string' && a.value.text === REDACTED))) {
    doc.redacted = false;
    return doc;
  }
  const out = r.scrub(doc);
  out.redacted = true;
  return out;
}
