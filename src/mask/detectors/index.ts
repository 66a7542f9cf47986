// The detector registry.

import type { DetectorName } from '../types.ts';
import type { Detector } from './common.ts';
import { email } from './email.ts';
import { paymentCard } from './card.ts';
import { usSsn } from './ssn.ts';
import { iban } from './iban.ts';
import { awsAccessKey } from './aws.ts';
import { jwt } from './jwt.ts';
import { privateKey } from './pem.ts';
import { bearerToken } from './bearer.ts';

export const DETECTORS: Readonly<Record<DetectorName, Detector>> = {
  email,
  payment_card: paymentCard,
  us_ssn: usSsn,
  iban,
  aws_access_key: awsAccessKey,
  jwt,
  private_key: privateKey,
  bearer_token: bearerToken,
};

export type { Detector } from './common.ts';
export { LOOKBEHIND } from './common.ts';
