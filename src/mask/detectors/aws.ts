// AWS access key ids: AKIA (long-term) or ASIA (temporary) and 16 upper-case letters or digits.

import { charTable, runBack, scanRegex } from './common.ts';
import type { Detector } from './common.ts';

const RE = /(?<![A-Za-z0-9])A[KS]IA[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const RUN = charTable('A-Za-z0-9');
const PREFIX = /^A(?:[KS](?:I(?:A[A-Z0-9]*)?)?)?$/;

export const awsAccessKey: Detector = {
  name: 'aws_access_key',
  priority: 2,
  scan(text, from, found) {
    scanRegex(RE, text, from, () => true, found);
  },
  pending(text) {
    const run = runBack(text, RUN, 21);
    return run <= 20 && PREFIX.test(text.slice(text.length - run)) ? run : 0;
  },
};
