import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { normalizeMcp, mcpActionSchema } from '../../src/actions/mcp/index.ts';

const validate = new Ajv().compile(mcpActionSchema);

const message = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({
    jsonrpc: fc.constantFrom('2.0', '1.0', 2),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null)),
    method: fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'resources/read', 'prompts/get', 'initialize', ''), fc.string({ maxLength: 10 })),
    params: fc.oneof(
      fc.record({ name: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), arguments: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }),
      fc.record({ uri: fc.oneof(fc.webUrl(), fc.string({ maxLength: 8 })) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 3 }),
    ),
  }, { requiredKeys: [] }),
);

test('random messages never throw; every result matches the schema', () => {
  fc.assert(fc.property(message, (m) => {
    const doc = normalizeMcp(m, { server: 's' });
    const plain = JSON.parse(JSON.stringify(doc));
    if (!validate(plain)) throw new Error(`schema: ${JSON.stringify(validate.errors)} for ${JSON.stringify(m)}`);
    if ('parse_error' in doc) assert.ok(doc.parse_error.code.length > 0);
    // internal_error means the safety net caught a bug.
    if ('parse_error' in doc) assert.is.not(doc.parse_error.code, 'internal_error', JSON.stringify(doc));
  }), { numRuns: 3000 });
});

test('text and object forms of the same message give the same document', () => {
  fc.assert(fc.property(message, (m) => {
    if (typeof m === 'string') return;
    const a = normalizeMcp(m, { server: 's' });
    const b = normalizeMcp(JSON.stringify(m), { server: 's' });
    if ('parse_error' in a || 'parse_error' in b) {
      assert.is('parse_error' in a, 'parse_error' in b, JSON.stringify(m));
      return;
    }
    assert.equal(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
  }), { numRuns: 2000 });
});

test.run();
