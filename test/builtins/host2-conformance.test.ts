// The newer host builtins against the single-call cases of OPA's conformance suite (read at
// test time from the shared checkout; skipped when it is absent).
import { test } from 'uvu';
import { hostCallCases } from './host-cases.ts';

const TOPICS = [
  'uribuiltins', 'netcidrexpand', 'jwtencodesign', 'jwtencodesignheadererrors', 'jwtencodesignpayloaderrors',
  'jwtencodesignraw', 'jwtdecodeverify', 'jsonschema', 'cryptox509parsersaprivatekey', 'cryptoparsersaprivatekeys',
  'graphql', 'providers-aws', 'reachable', 'jsonpatch', 'walkbuiltin',
];

hostCallCases(TOPICS, 30);

test.run();
