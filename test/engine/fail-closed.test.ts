// Every way a decision can go wrong ends in a deny with the engine's reason, never a throw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine, ENGINE_RULE, type Decision, type PolicyInput } from '../../src/engine/index.ts';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import { engineCode, schemaErrors, who } from './helpers.ts';

const input = (sub = 'ana'): PolicyInput => ({
  action: { version: 1, kind: 'shell', commands: [], redirections: [], assignments: [] } as never,
  identity: { sub, groups: [], claims: {} },
  connection: { name: 'h', kind: 'ssh', target: 'prod' },
  context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
});

const policy = (body: string) => ({ modules: { 'p.rego': `package portcullis\n\n${body}\n` } });
const make = (body: string, extra: Parameters<typeof Engine.create>[0] extends infer O ? Partial<O> : never = {}) =>
  Engine.create({ policy: policy(body), optimize: false, compile: 'inline', actionKinds: [], ...extra });

function assertDenied(d: Decision, code: string, message?: RegExp): void {
  assert.is(d.allow, false);
  assert.is(d.reasons.length, 1);
  assert.is(d.reasons[0]!.rule, ENGINE_RULE);
  assert.is(engineCode(d), code, JSON.stringify(d.diagnostics));
  if (message) assert.match(d.reasons[0]!.message, message);
  assert.equal(d.masks, []);
  assert.equal(d.record, { level: 'full' });
  assert.equal(d.approval, { required: false, approvers: [], ttl: 0 });
  assert.is(schemaErrors(d), null);
}

for (const mode of ['direct', 'sdk'] as const) {
  test(`[${mode}] undefined decision: no rule body holds`, async () => {
    const e = await make('decision := {"allow": true} if input.identity.sub == "root"', { mode });
    assertDenied(e.decide(input()), 'undefined_decision', /undefined/);
    assert.is(e.decide(input('root')).allow, true);
  });

  test(`[${mode}] wrong shapes: allow missing, not boolean, bad mask, bad record, bad approval, not an object`, async () => {
    const bodies: Array<[string, RegExp]> = [
      ['decision := {"reasons": []}', /allow/],
      ['decision := {"allow": "yes"}', /allow must be boolean/],
      ['decision := {"allow": 1}', /allow must be boolean/],
      ['decision := {"allow": true, "masks": [{"target": "people.ssn", "strategy": "redact"}]}', /masks/],
      ['decision := {"allow": true, "masks": [{"target": {"kind": "column", "table": "t", "column": "c"}, "strategy": {"kind": "scramble"}}]}', /masks/],
      ['decision := {"allow": true, "record": {"level": "some"}}', /record/],
      ['decision := {"allow": true, "record": {}}', /record/],
      ['decision := {"allow": true, "approval": {"approvers": ["x"]}}', /approval/],
      ['decision := {"allow": true, "approval": {"required": "yes"}}', /approval/],
      ['decision := {"allow": true, "reasons": [{"rule": "r"}]}', /reasons/],
      ['decision := {"allow": true, "reasons": "nope"}', /reasons/],
      ['decision := {"allow": true, "version": 2}', /version/],
      ['decision := true', /object/],
      ['decision := [{"allow": true}]', /object/],
    ];
    for (const [body, why] of bodies) {
      const e = await make(body, { mode });
      assertDenied(e.decide(input()), 'invalid_decision', why);
    }
  });

  test(`[${mode}] evaluation error: a host builtin that throws, and recovery after it`, async () => {
    const builtins = { ...hostBuiltins, 'crypto.sha256': (x: never) => { if (x === 'boom') throw new Error('host failure'); return 'ok'; } };
    const e = await make('decision := {"allow": crypto.sha256(input.identity.sub) == "ok"}', { mode, builtins });
    assert.is(e.decide(input()).allow, true);
    assertDenied(e.decide(input('boom')), 'evaluation_error', /host failure/);
    // The instance is replaced after a throw; the next decision is normal.
    assert.is(e.decide(input()).allow, true);
  });

  test(`[${mode}] evaluation error: conflicting values for a complete rule (the module aborts)`, async () => {
    const e = await make('decision := {"allow": true}\n\ndecision := {"allow": false} if input.identity.sub == "x"', { mode });
    assert.is(e.decide(input()).allow, true);
    const d = e.decide(input('x'));
    assertDenied(d, 'evaluation_error');
    assert.is(e.decide(input()).allow, true);
  });
}

test('invalid input envelope: missing identity, groups not strings, unknown action kind, not an object', async () => {
  const e = await make('decision := {"allow": true}');
  const bad: unknown[] = [
    { ...input(), identity: undefined },
    { ...input(), identity: { sub: 'a', groups: [1], claims: {} } },
    { ...input(), action: { kind: 'ftp' } },
    { ...input(), context: { time: 'now' } },
    null,
    'input',
  ];
  for (const b of bad) assertDenied(e.decide(b as PolicyInput), 'invalid_input');
  assert.is(e.decide(input()).allow, true);
});

test('input that is not JSON (cycle, BigInt) and input over the size limit', async () => {
  const e = await make('decision := {"allow": true}', { maxInputLength: 4096 });
  const cyclic = input() as unknown as Record<string, unknown>;
  (cyclic['identity'] as Record<string, unknown>)['claims'] = cyclic;
  assertDenied(e.decide(cyclic as unknown as PolicyInput), 'invalid_input', /not JSON/);
  const big = input();
  big.identity.claims = { n: 10n as unknown as number };
  assertDenied(e.decide(big), 'invalid_input');
  const large = input();
  large.identity.claims = { blob: 'x'.repeat(5000) };
  assertDenied(e.decide(large), 'input_too_large');
});

test('check(): normalizer failures are denies (unknown kind, SQL without a dialect)', async () => {
  const e = await Engine.create({ policy: policy('decision := {"allow": true}'), optimize: false, compile: 'inline', actionKinds: ['sql'] });
  assertDenied(e.check('ftp' as never, 'x' as never, who([])), 'normalize_error', /unknown action kind/);
  assertDenied(e.check('sql', 'SELECT 1', who([], 'oracle')), 'normalize_error', /dialect/);
  assert.is(e.check('sql', 'SELECT 1', who([], 'oracle'), { dialect: 'pg' }).allow, true);
  assertDenied(e.check('sql', 'SELECT 1', who([], 'constructor')), 'normalize_error', /dialect/);
  // A caller that passes no identity or no `who` at all gets a deny, not a throw.
  assertDenied(e.check('sql', 'SELECT 1', { connection: who([]).connection } as never), 'invalid_input', /identity/);
  assertDenied(e.check('sql', 'SELECT 1', undefined as never), 'normalize_error');
  assertDenied(e.check('sql', 'SELECT 1', { ...who([]), identity: { sub: 'a', groups: 'dba', claims: {} } } as never), 'invalid_input', /groups/);
});

test('a policy that allows regardless still sees parse_error (the policy decides)', async () => {
  const e = await Engine.create({
    policy: policy('decision := {"allow": true, "reasons": [{"rule": "seen", "message": input.action.parse_error.code}]}'),
    optimize: false,
    compile: 'inline',
    actionKinds: ['sql'],
  });
  const d = e.check('sql', 'SELEC', who([]));
  assert.is(d.allow, true);
  assert.is(d.reasons[0]?.message, 'syntax_error');
});

test('a policy that returns "diagnostics" cannot forge the engine\'s', async () => {
  const e = await make('decision := {"allow": true, "diagnostics": {"revision": "forged", "errors": []}}');
  const d = e.decide(input());
  assert.is(d.allow, true);
  assert.is(d.diagnostics?.revision, e.revision);
});

test.run();
