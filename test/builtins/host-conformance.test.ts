// Host builtins against the single-call cases of OPA's conformance suite (read at test time).
import { test } from 'uvu';
import { hostCallCases } from './host-cases.ts';

const TOPICS = [
  'globmatch', 'regexfind', 'regexfindallstringsubmatch', 'regexisvalid', 'regexmatch', 'regexmatchtemplate',
  'regexsplit', 'netcidrcontains', 'netcidrintersects', 'netcidrmerge', 'time', 'units', 'semvercompare',
  'semverisvalid', 'base64builtins', 'base64urlbuiltins', 'hexbuiltins', 'urlbuiltins', 'cryptosha256',
  'cryptosha1', 'cryptomd5', 'cryptohmacsha256', 'cryptohmacsha512', 'cryptohmacequal', 'jwtbuiltins',
  'jwtverifyhs256', 'jwtverifyhs384', 'jwtverifyhs512', 'jwtverifyrsa',
];

hostCallCases(TOPICS, 150);

test.run();
