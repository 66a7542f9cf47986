// Hot reload: decisions keep flowing while the policy files are rewritten; each decision comes from
// exactly one complete revision; a policy that does not compile leaves the running one in place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type Decision, type PolicyInput, type ReloadEvent } from '../../src/engine/index.ts';

const input: PolicyInput = {
  action: { version: 1, kind: 'shell', commands: [], redirections: [], assignments: [] } as never,
  identity: { sub: 'ana', groups: [], claims: {} },
  connection: { name: 'h', kind: 'ssh', target: 'prod' },
  context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
};

// The marker appears twice, computed two ways: a decision built from a half-swapped policy could
// not agree with itself.
const policy = (v: number): string => `package portcullis

marker := "v${v}"

doubled := ${v * 2}

decision := {"allow": ${v % 2 === 0}, "reasons": [
\t{"rule": "marker", "message": marker},
\t{"rule": "doubled", "message": sprintf("%d", [doubled])},
]}
`;

const markerOf = (d: Decision): number => {
  const m = /^v(\d+)$/.exec(d.reasons[0]?.message ?? '');
  if (!m) throw new Error(`no marker in ${JSON.stringify(d)}`);
  const v = Number(m[1]);
  assert.is(d.reasons[1]?.message, String(v * 2), 'both halves of the decision come from the same revision');
  assert.is(d.allow, v % 2 === 0);
  return v;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The first event at index `from` or later that satisfies `pred`. */
function waitFor(events: ReloadEvent[], from: number, pred: (e: ReloadEvent) => boolean, ms = 20000): Promise<ReloadEvent> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const hit = events.slice(from).find(pred);
      if (hit) resolve(hit);
      else if (Date.now() - t0 > ms) reject(new Error(`no reload event after ${ms} ms: ${JSON.stringify(events)}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

test('watch: rewrite the policy while deciding in a loop; every decision from one complete revision', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-reload-'));
  const file = join(dir, 'policy.rego');
  writeFileSync(file, policy(1));
  const events: ReloadEvent[] = [];
  const e = await Engine.create({ policy: dir, watch: { debounceMs: 30, pollMs: 150 }, optimize: false, actionKinds: [], onReload: (ev) => events.push(ev) });
  const byRevision = new Map<string, number>([[e.revision, 1]]);
  const seen: Array<{ revision: string; marker: number }> = [];
  let running = true;
  // Concurrent deciders: several macrotask loops interleaving with the reload's async steps.
  const loops = [0, 1, 2].map(async () => {
    while (running) {
      for (let i = 0; i < 20; i++) {
        const d = e.decide(input);
        assert.equal(d.diagnostics?.errors, [], JSON.stringify(d));
        seen.push({ revision: d.diagnostics!.revision, marker: markerOf(d) });
      }
      await new Promise((r) => setImmediate(r));
    }
  });
  try {
    for (let v = 2; v <= 5; v++) {
      if (v === 4) {
        // A half-written file first, then a broken one: neither may replace the running revision.
        const before = e.revision;
        const n = events.length;
        writeFileSync(file, policy(v).slice(0, 40));
        const bad = await waitFor(events, n, (x) => !x.ok);
        assert.is(bad.revision, before);
        assert.ok(bad.error?.code === 'policy_compile_error', JSON.stringify(bad));
        assert.match(bad.error?.message ?? '', /policy\.rego:\d+:\d+: rego_parse_error/, 'the position survives the compile process');
        assert.is(e.revision, before);
        await sleep(50);
      }
      const n = events.length;
      writeFileSync(file, policy(v));
      const ok = await waitFor(events, n, (x) => x.ok && x.changed);
      byRevision.set(ok.revision, v);
      assert.is(e.revision, ok.revision);
      await sleep(30);
    }
  } finally {
    running = false;
    await Promise.all(loops);
    e.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(seen.length > 100, `only ${seen.length} decisions`);
  let last = 1;
  for (const s of seen) {
    assert.is(byRevision.get(s.revision), s.marker, `revision ${s.revision} answered with marker v${s.marker}`);
    assert.ok(s.marker >= last, 'revisions only move forward');
    last = s.marker;
  }
  assert.equal([...new Set(seen.map((s) => s.marker))], [1, 2, 3, 4, 5], 'decisions from every revision were seen');
});

test('reload() by hand, reload(newSource), unchanged content, and a failed reload keeps the old policy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-reload-'));
  try {
    writeFileSync(join(dir, 'p.rego'), policy(2));
    const heard: ReloadEvent[] = [];
    const e = await Engine.create({ policy: dir, optimize: false, compile: 'inline', actionKinds: [] });
    const off = e.onReload((ev) => heard.push(ev));
    const r0 = e.revision;
    assert.equal(await e.reload(), { ok: true, revision: r0, changed: false });
    writeFileSync(join(dir, 'p.rego'), policy(3));
    const r1 = await e.reload();
    assert.is(r1.ok && r1.changed, true);
    assert.is(markerOf(e.decide(input)), 3);
    writeFileSync(join(dir, 'p.rego'), 'package portcullis\n\ndecision := {\n');
    const r2 = await e.reload();
    assert.is(r2.ok, false);
    assert.is(r2.revision, r1.revision);
    assert.match(r2.error?.message ?? '', /p\.rego:\d+:\d+/);
    assert.is(markerOf(e.decide(input)), 3, 'still the last good policy');
    const r3 = await e.reload({ modules: { 'm.rego': policy(6) } });
    assert.is(r3.changed, true);
    assert.is(markerOf(e.decide(input)), 6);
    // Several reloads requested at once: all settle, the last state wins.
    const all = await Promise.all([e.reload(), e.reload(), e.reload()]);
    assert.ok(all.every((x) => x.ok && !x.changed));
    assert.ok(all[0] === all[1] && all[1] === all[2], 'requests made before the reload starts share it');
    assert.is(heard.length, 5);
    off();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
