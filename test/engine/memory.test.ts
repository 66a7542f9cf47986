// The heap is reset on every evaluation: 1e5 decisions leave wasm memory where it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine } from '../../src/engine/index.ts';
import { normalize } from '../../src/actions/index.ts';
import { POLICY_TEXT, who } from './helpers.ts';

const N = 100_000;

for (const mode of ['direct', 'sdk'] as const) {
  test(`[${mode}] wasm memory does not grow across ${N} decisions`, async () => {
    const e = await Engine.create({ policy: { modules: { 'p.rego': POLICY_TEXT } }, mode, optimize: false, compile: 'inline', actionKinds: ['sql', 'shell'], cacheSize: 0 });
    const sql = normalize('sql', 'SELECT id, ssn FROM people WHERE id = $1', { dialect: 'pg' });
    const del = normalize('sql', 'DELETE FROM people WHERE id = 1', { dialect: 'pg' });
    const sh = normalize('shell', 'cat /etc/hosts | grep x; rm -rf /scratch/y');
    const base = who(['dev']);
    const ctx = { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] };
    const actions = [sql, del, sh];
    for (let i = 0; i < 100; i++) e.decide({ action: actions[i % 3]!, identity: base.identity, connection: base.connection, context: ctx });
    const before = e.memoryBytes();
    let allowed = 0;
    for (let i = 0; i < N; i++) {
      // A different subject every time, so no two inputs are the same bytes.
      const d = e.decide({ action: actions[i % 3]!, identity: { ...base.identity, sub: `user-${i}` }, connection: base.connection, context: ctx });
      if (d.allow) allowed++;
    }
    assert.is(e.memoryBytes(), before, `memory grew from ${before} to ${e.memoryBytes()}`);
    assert.is(allowed, Math.ceil(N / 3), 'only the SELECT is allowed');
  });
}

test.run();
