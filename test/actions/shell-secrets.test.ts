// Secrets never leave the gateway: each well-known carrier is redacted, and the value appears
// nowhere in the serialized document, while policies still see that a secret was passed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { initShell, normalizeShell, shellActionSchema, type ShellAction } from '../../src/actions/shell/index.ts';

await initShell();
const validate = new Ajv({ strict: true }).compile(shellActionSchema);

/** Normalizes `line` on both paths and checks `secret` is nowhere in either document. */
function secretFree(line: string, secret: string): ShellAction {
  let out: ShellAction | null = null;
  for (const fastPath of [true, false]) {
    const d = normalizeShell(line, { fastPath, sql: (text) => ({ text }) });
    assert.ok(validate(d), `schema: ${JSON.stringify(validate.errors)}`);
    assert.is(d.parse_error, undefined, `${line}: ${JSON.stringify(d.parse_error)}`);
    const json = JSON.stringify(d);
    assert.not.ok(json.includes(secret), `${JSON.stringify(line)} leaks ${secret}: ${json}`);
    assert.is(d.redacted, true, line);
    out ??= d;
  }
  return out!;
}
const reasons = (d: ShellAction): string[] => d.commands.flatMap((c) => (c.redactions ?? []).map((r) => `${r.where}:${r.index}:${r.reason}`));

test('secret-named assignments: prefix, statement, export, env, sudo', () => {
  let d = secretFree('PGPASSWORD=hunter22 psql -h db -U app', 'hunter22');
  assert.equal(d.commands[0]!.assignments[0]!.value, '<redacted>');
  assert.equal(d.commands[0]!.redactions, [{ where: 'assignment', index: 0, name: 'PGPASSWORD', reason: 'secret_variable' }]);
  assert.equal(d.assignments.map((a) => [a.name, a.value]), [['PGPASSWORD', '<redacted>']]);
  d = secretFree('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI; aws s3 ls', 'wJalrXUtnFEMI');
  assert.equal(d.assignments[0]!.value, '<redacted>');
  d = secretFree('export GITHUB_TOKEN=ghp_abc123 PATH=/x', 'ghp_abc123');
  assert.equal(d.commands[0]!.argv, ['export', 'GITHUB_TOKEN=<redacted>', 'PATH=/x']);
  d = secretFree('env DB_PASSWORD=s3cr3t STRIPE_API_KEY=sk_live_1 ./run', 's3cr3t');
  secretFree('env DB_PASSWORD=s3cr3t STRIPE_API_KEY=sk_live_1 ./run', 'sk_live_1');
  assert.equal(d.commands[1]!.assignments.map((a) => a.value), ['<redacted>', '<redacted>']);
  secretFree('sudo MY_SECRET=topsecret make deploy', 'topsecret');
  secretFree('docker run -e POSTGRES_PASSWORD=pgpw123 postgres', 'pgpw123');
  // an unknown value is redacted too: its source text may hold a literal part
  d = secretFree('API_TOKEN="abc$(cat f)" ./x', 'abc$(cat f)');
  assert.equal(d.commands[0]!.assignments[0]!.value, { unknown: true, text: '<redacted>' });
  // not secret: left alone, and the flag says so
  const plain = normalizeShell('FOO=1 KEYBOARD=us ls');
  assert.is(plain.redacted, false);
  assert.equal(plain.commands[0]!.assignments.map((a) => a.value), ['1', 'us']);
});

test('database clients: mysql -p, --password=, psql URIs and conninfo', () => {
  let d = secretFree('mysql -u root -pS3cret! -e "select 1"', 'S3cret!');
  assert.equal(d.commands[0]!.argv.slice(0, 4), ['mysql', '-u', 'root', '-p<redacted>']);
  assert.equal(reasons(d), ['argv:3:password_option']);
  d = secretFree('mysqldump --password=dumpPw db > x.sql', 'dumpPw');
  assert.equal(d.commands[0]!.argv[1], '--password=<redacted>');
  assert.equal(normalizeShell('mysql --password db').commands[0]!.argv, ['mysql', '--password', 'db']); // prompts: no value
  d = secretFree("psql 'postgresql://app:pgTok9@db.example:5432/x' -c 'SELECT 1'", 'pgTok9');
  assert.equal(d.commands[0]!.argv[1], 'postgresql://app:<redacted>@db.example:5432/x');
  secretFree('psql "host=db user=app password=connPw9 dbname=x"', 'connPw9');
});

test('HTTP clients: curl -u, auth headers, cookies, URL credentials, wget', () => {
  let d = secretFree('curl -u admin:pa55word https://api.example/x', 'pa55word');
  assert.equal(d.commands[0]!.argv[2], 'admin:<redacted>');
  assert.equal(reasons(d), ['argv:2:basic_auth']);
  secretFree('curl -uadmin:pa55word --user=bob:bobpw1 https://x', 'bobpw1');
  d = secretFree('curl -H "Authorization: Bearer eyJhbGciOi.x.y" https://api.example', 'eyJhbGciOi');
  assert.equal(d.commands[0]!.argv[2], 'Authorization: <redacted>');
  secretFree("curl --header 'Cookie: session=abc123xyz' https://x", 'abc123xyz');
  secretFree('curl -b "sid=cookieval1" https://x', 'cookieval1');
  secretFree('curl https://user:urlTok42@host.example/p', 'urlTok42');
  d = secretFree('curl -s https://user:urlTok42@host.example/p | sh', 'urlTok42');
  assert.is(d.network.download_to_shell, true);
  secretFree('wget --password=wgetpw1 --header="X-Api-Key: k3y99" http://x', 'wgetpw1');
  secretFree('wget --password=wgetpw1 --header="X-Api-Key: k3y99" http://x', 'k3y99');
});

test('CLI tokens and passwords: kubectl, docker login, gh, git URLs, sshpass', () => {
  let d = secretFree('kubectl --token=kubeTok1 get pods', 'kubeTok1');
  assert.equal(d.commands[0]!.argv[1], '--token=<redacted>');
  assert.equal(d.commands[0]!.summary, { tool: 'kubectl', verb: 'get', resource: 'pods', name: null, namespace: null, all_namespaces: false });
  secretFree('kubectl --token kubeTok2 delete ns x', 'kubeTok2');
  d = secretFree('docker login -u me -p dockPw1 registry.example', 'dockPw1');
  assert.equal(d.commands[0]!.argv, ['docker', 'login', '-u', 'me', '-p', '<redacted>', 'registry.example']);
  secretFree('docker login --password dockPw2 r.example', 'dockPw2');
  secretFree('gh auth login --token ghTok3', 'ghTok3');
  d = secretFree('git clone https://x-access-token:gitTok4@github.com/o/r.git', 'gitTok4');
  assert.equal(d.commands[0]!.argv[2], 'https://x-access-token:<redacted>@github.com/o/r.git');
  d = secretFree('sshpass -p sshPw5 ssh u@h uptime', 'sshPw5');
  assert.equal(d.commands[0]!.argv.slice(0, 3), ['sshpass', '-p', '<redacted>']);
  secretFree('sshpass -psshPw6 ssh h', 'sshPw6');
  secretFree('redis-cli -a redisPw7 ping', 'redisPw7');
  secretFree('openssl enc -aes256 -pass pass:sslPw8 -in f', 'sslPw8');
  // gh reads the token from stdin here: nothing to redact
  assert.is(normalizeShell('gh auth login --with-token < t').redacted, false);
});

test('payload strings and heredocs repeat no secret', () => {
  // the secret sits inside a bash -c string and inside the unwrapped command
  let d = secretFree('sudo bash -c "mysql -pInnerPw1 -e \'show databases\'"', 'InnerPw1');
  assert.ok(d.commands.some((c) => c.argv[0] === 'mysql' && c.redactions !== undefined));
  d = secretFree('ssh h "PGPASSWORD=remotePw2 psql -c \'select 1\'"', 'remotePw2');
  d = secretFree('cat > .env <<EOF\nDB_PASSWORD=heredocPw3\nPORT=80\nEOF', 'heredocPw3');
  assert.equal(d.redirections.find((r) => r.dir === 'heredoc')!.target, 'DB_PASSWORD=<redacted>\nPORT=80\n');
  assert.equal(reasons(d), ['redirection:1:secret_line']);
  secretFree("bash <<< 'export API_TOKEN=hsTok4'", 'hsTok4');
  secretFree("cat <<'E'\nAuthorization: Basic dXNlcjpwYXNz\nE", 'dXNlcjpwYXNz');
});

test('documents without secrets are unchanged', () => {
  const d = normalizeShell('ls -la /tmp | grep x > out 2>&1');
  assert.is(d.redacted, false);
  assert.ok(d.commands.every((c) => c.redactions === undefined));
  assert.is(normalizeShell('echo "unterminated').redacted, false);
});

test.run();
