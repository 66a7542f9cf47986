// Program-aware summaries of the commands policies most often care about.
import { basename, str } from './options.ts';
import type { DockerSummary, GitSummary, HttpClientSummary, KubectlSummary, RmSummary, ShellSummary, ShellWord } from './types.ts';

/** Splits args into positionals, skipping values of options that take one. */
function positionals(args: ShellWord[], from: number, takesValue: (opt: string) => boolean): { pos: ShellWord[]; opts: Array<[string, ShellWord | null]> } {
  const pos: ShellWord[] = [];
  const opts: Array<[string, ShellWord | null]> = [];
  for (let i = from; i < args.length; i++) {
    const a = args[i]!;
    if (typeof a !== 'string' || a === '-' || !a.startsWith('-')) {
      pos.push(a);
      continue;
    }
    if (a === '--') {
      pos.push(...args.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      opts.push([a.slice(0, eq), a.slice(eq + 1)]);
    } else if (takesValue(a)) {
      opts.push([a, args[i + 1] ?? null]);
      i++;
    } else if (!a.startsWith('--') && a.length > 2 && takesValue(a.slice(0, 2))) {
      opts.push([a.slice(0, 2), a.slice(2)]); // -nprod
    } else {
      opts.push([a, null]);
    }
  }
  return { pos, opts };
}

const KUBECTL_VALUE = new Set(['-n', '--namespace', '--context', '--cluster', '--user', '-s', '--server', '--kubeconfig', '--token', '-l', '--selector', '-o', '--output', '-f', '--filename', '-c', '--container', '--as', '--as-group', '--request-timeout', '--field-selector', '--timeout', '--grace-period', '-p', '--patch', '--type', '-k', '--kustomize', '--image', '--replicas', '--port', '--sort-by', '--template']);
const KUBECTL_TWO_LEVEL = new Set(['rollout', 'config', 'auth', 'certificate', 'set', 'top', 'create', 'apply', 'plugin']);

function kubectl(argv: ShellWord[]): KubectlSummary {
  const { pos, opts } = positionals(argv, 1, (o) => KUBECTL_VALUE.has(o));
  let namespace: string | null = null;
  let all = false;
  for (const [o, v] of opts) {
    if (o === '-n' || o === '--namespace') namespace = str(v ?? undefined);
    if (o === '-A' || o === '--all-namespaces') all = true;
  }
  let verb = str(pos[0]);
  let k = 1;
  if (verb !== null && KUBECTL_TWO_LEVEL.has(verb) && str(pos[1]) !== null && verb !== 'create' && verb !== 'apply') {
    verb = `${verb} ${str(pos[1])!}`;
    k = 2;
  }
  let resource = str(pos[k]);
  let name = str(pos[k + 1]);
  if (resource !== null && resource.includes('/')) {
    const s = resource.indexOf('/');
    name = resource.slice(s + 1);
    resource = resource.slice(0, s);
  }
  return { tool: 'kubectl', verb, resource, name, namespace, all_namespaces: all };
}

const GIT_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

function git(argv: ShellWord[]): GitSummary {
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (typeof a !== 'string' || !a.startsWith('-')) break;
    if (GIT_VALUE.has(a)) i++;
  }
  const subcommand = str(argv[i]);
  const push = subcommand === 'push';
  let force = false;
  let remote: string | null = null;
  if (push) {
    const { pos, opts } = positionals(argv, i + 1, (o) => o === '--repo' || o === '-o' || o === '--push-option' || o === '--receive-pack' || o === '--exec');
    for (const [o] of opts) {
      if (o.startsWith('--force') || o === '--mirror') force = true;
      if (/^-[a-zA-Z]+$/.test(o) && o.includes('f')) force = true;
    }
    remote = str(pos[0]);
    if (pos.slice(1).some((r) => typeof r === 'string' && (r.startsWith('+') || r.startsWith(':')))) force = true;
  }
  return { tool: 'git', subcommand, push, force, remote };
}

const DOCKER_BOOL = new Set(['-d', '--detach', '-i', '--interactive', '-t', '--tty', '--rm', '--init', '--privileged', '--read-only', '-P', '--publish-all', '--no-healthcheck', '-q', '--quiet', '--sig-proxy', '--oom-kill-disable', '--help']);
const DOCKER_GLOBAL_VALUE = new Set(['-H', '--host', '--context', '-c', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

function docker(argv: ShellWord[]): DockerSummary {
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (typeof a !== 'string' || !a.startsWith('-')) break;
    if (DOCKER_GLOBAL_VALUE.has(a)) i++;
  }
  let subcommand = str(argv[i]);
  if (subcommand === 'container' && str(argv[i + 1]) !== null) subcommand = str(argv[++i]);
  const run = subcommand === 'run' || subcommand === 'create';
  const s: DockerSummary = { tool: 'docker', subcommand, run, privileged: false, mounts: [], image: null, host_network: false, host_pid: false };
  if (!run) return s;
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j]!;
    if (typeof a !== 'string') {
      s.image = a; // could be an option; the image is at best unknown from here
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      s.image = a;
      break;
    }
    if (a === '--') {
      s.image = argv[j + 1] ?? null;
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    let value: ShellWord | null = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : null;
    if (DOCKER_BOOL.has(name) || (/^-[dit]+$/.test(name) && !a.startsWith('--'))) {
      if (name === '--privileged' && value !== 'false') s.privileged = true;
      continue;
    }
    if (value === null) {
      if (!a.startsWith('--') && a.length > 2) {
        value = a.slice(2); // -v/x:y
      } else {
        value = argv[++j] ?? null;
      }
    }
    const short = a.startsWith('--') ? name : a.slice(0, 2);
    if ((short === '-v' || short === '--volume' || short === '--mount') && value !== null) s.mounts.push(value);
    if ((short === '--network' || short === '--net') && value === 'host') s.host_network = true;
    if (short === '--pid' && value === 'host') s.host_pid = true;
  }
  return s;
}

function rm(argv: ShellWord[]): RmSummary {
  const s: RmSummary = { tool: 'rm', recursive: false, force: false, targets: [] };
  let opts = true;
  for (const a of argv.slice(1)) {
    if (opts && typeof a === 'string' && a.startsWith('-') && a.length > 1) {
      if (a === '--') opts = false;
      else if (a === '--recursive') s.recursive = true;
      else if (a === '--force') s.force = true;
      else if (!a.startsWith('--')) {
        if (/[rR]/.test(a)) s.recursive = true;
        if (a.includes('f')) s.force = true;
      }
      continue;
    }
    s.targets.push(a);
  }
  return s;
}

export function hostOf(url: string): string | null {
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) ? url : `http://${url}`;
  try {
    const h = new URL(withScheme).hostname;
    return h === '' ? null : h.toLowerCase();
  } catch {
    return null;
  }
}

const CURL_VALUE = new Set(['-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--data-ascii', '--json', '-F', '--form', '--form-string', '-o', '--output', '-u', '--user', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-T', '--upload-file', '-x', '--proxy', '-w', '--write-out', '-m', '--max-time', '--connect-timeout', '--retry', '--cacert', '-E', '--cert', '--key', '--resolve', '--url', '-r', '--range', '-z', '-K', '--config', '-C', '--continue-at', '--limit-rate', '--interface', '--oauth2-bearer', '-U', '--proxy-user', '--connect-to', '-D', '--dump-header', '--max-redirs', '-Y', '-y', '-Q', '--quote']);
const WGET_VALUE = new Set(['-O', '-o', '-a', '-P', '-U', '-e', '-t', '-T', '-w', '-i', '-B', '-Q', '-l', '-D', '-X', '-I', '-A', '-R', '--header', '--user', '--password', '--post-data', '--post-file', '--body-data', '--body-file', '--method', '--output-document', '--user-agent']);

function http(argv: ShellWord[], tool: 'curl' | 'wget'): HttpClientSummary {
  const { pos, opts } = positionals(argv, 1, (o) => (tool === 'curl' ? CURL_VALUE : WGET_VALUE).has(o));
  let method: string | null = null;
  let url: ShellWord | null = pos[0] ?? null;
  let uploads = false;
  let head = false;
  for (const [o, v] of opts) {
    if (o === '-X' || o === '--request' || o === '--method') method = str(v ?? undefined)?.toUpperCase() ?? null;
    if (o === '--url') url = v;
    if (/^(-d|--data.*|--json|-F|--form.*|-T|--upload-file|--post-data|--post-file|--body-data|--body-file)$/.test(o)) {
      uploads = true;
      method ??= o === '-T' || o === '--upload-file' ? 'PUT' : 'POST';
    }
    if (o === '-I' || o === '--head') head = true;
  }
  if (method === null) method = head ? 'HEAD' : 'GET';
  const u = url !== null ? str(url) : null;
  return { tool, method, url, host: u !== null ? hostOf(u) : null, uploads };
}

export function summarize(argv: ShellWord[]): ShellSummary | undefined {
  const p = str(argv[0]);
  if (p === null) return undefined;
  switch (basename(p)) {
    case 'kubectl':
    case 'oc':
      return kubectl(argv);
    case 'git':
      return git(argv);
    case 'docker':
    case 'podman':
      return docker(argv);
    case 'rm':
      return rm(argv);
    case 'curl':
      return http(argv, 'curl');
    case 'wget':
      return http(argv, 'wget');
    default:
      return undefined;
  }
}
