// Network indicators: sockets through /dev/tcp, netcat and socat, downloads piped into a shell.
import { parseOptions, str } from './options.ts';
import { hostOf } from './summary.ts';
import type { NetworkIndicators, ShellCommand, ShellRedirection, ShellWord } from './types.ts';
import { SHELLS } from './wrappers.ts';

const INTERPRETERS = /^(python|perl|ruby|node|nodejs|php)[0-9.]*$/;
const NETCAT = new Set(['nc', 'ncat', 'netcat', 'nc.traditional', 'nc.openbsd']);

export function emptyNetwork(): NetworkIndicators {
  return { dev_tcp: false, dev_udp: false, netcat: false, netcat_exec: false, socat: false, download_to_shell: false, reverse_shell: false, hosts: [] };
}

const textOf = (w: ShellWord | null): string => (w === null ? '' : typeof w === 'string' ? w : w.text);

function socketWord(w: ShellWord | null, net: NetworkIndicators, hosts: Set<string>): boolean {
  const t = textOf(w);
  if (!t.includes('/dev/')) return false;
  const m = /\/dev\/(tcp|udp)\/([^/]*)/.exec(t);
  if (!m) return false;
  if (m[1] === 'tcp') net.dev_tcp = true;
  else net.dev_udp = true;
  if (typeof w === 'string' && m[2]) hosts.add(m[2].toLowerCase());
  return true;
}

export function isShellOrInterpreter(program: string | null): boolean {
  if (program === null) return true; // an unknown program may be a shell
  return SHELLS.has(program) || INTERPRETERS.test(program);
}

/** `pipes` holds, per pipeline, the [first, end) command index ranges of its elements. */
export function networkOf(commands: ShellCommand[], redirections: ShellRedirection[], pipes: Array<Array<[number, number]>>, origin: number[]): NetworkIndicators {
  const net = emptyNetwork();
  const hosts = new Set<string>();
  for (const r of redirections) socketWord(r.target, net, hosts);
  for (const c of commands) {
    let socket = false;
    for (const r of c.redirections) socket = socketWord(r.target, net, hosts) || socket;
    for (const w of c.argv) socket = socketWord(w, net, hosts) || socket;
    const p = c.program;
    if (socket && (p === null || isShellOrInterpreter(p) || p === 'exec')) net.reverse_shell = true;
    if (p !== null && NETCAT.has(p)) {
      net.netcat = true;
      const exec = c.argv.some((a) => typeof a === 'string' && (/^--(sh-|lua-)?exec/.test(a) || /^-[a-zA-Z]*[ec][a-zA-Z]*$/.test(a)));
      if (exec) {
        net.netcat_exec = true;
        net.reverse_shell = true;
      }
      const o = parseOptions(c.argv, 1, { flags: '46bCDdhklnNrStUuvzE', withArg: 'pswiqxXIOTPVec', lenient: true });
      const host = o ? str(c.argv[o.next]) : null;
      if (host !== null && !/^\d+$/.test(host)) hosts.add(host.toLowerCase());
    }
    if (p === 'socat') {
      net.socat = true;
      const args = c.argv.slice(1).map(textOf).join(' ');
      if (/(^|[\s,])(exec|system):/i.test(args) && /(tcp|udp|openssl|sctp)[^\s]*:/i.test(args)) net.reverse_shell = true;
    }
    if (p === 'ssh') {
      const o = parseOptions(c.argv, 1, { flags: '46AaCfGgKkMNnqsTtVvXxYy', withArg: 'BbcDEeFIiJLlmOopQRSWw' });
      const target = o ? str(c.argv[o.next]) : null;
      if (target !== null) {
        const h = target.includes('://') ? hostOf(target) : target.slice(target.lastIndexOf('@') + 1);
        if (h) hosts.add(h.toLowerCase());
      }
    }
    const s = c.summary;
    if (s && (s.tool === 'curl' || s.tool === 'wget') && s.host) hosts.add(s.host);
  }
  // curl/wget | [wrappers] sh: the download runs as code
  for (const elems of pipes) {
    for (let k = 0; k + 1 < elems.length; k++) {
      const [a, b] = elems[k]!;
      const [c0, c1] = elems[k + 1]!;
      const downloads = commands.some((c, i) => i < origin.length && origin[i]! >= a && origin[i]! < b && (c.program === 'curl' || c.program === 'wget'));
      if (!downloads || c0 >= c1) continue;
      const runs = commands.some((c, i) => origin[i] === c0 && isShellOrInterpreter(c.program));
      if (runs) net.download_to_shell = true;
    }
  }
  net.hosts = [...hosts].sort();
  return net;
}

