// Sample secrets (all fake or published test values) and near misses shared by the mask tests.
import type { DetectorName } from '../../src/mask/index.ts';

const b64u = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
export const JWT_HS256 = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"sub":"1234567890","name":"Ana"}')}.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;
export const JWT_NONE = `${b64u('{"alg":"none"}')}.${b64u('{"sub":"1"}')}.`;
export const JWT_NO_ALG = `${b64u('{"foo":"bar"}')}.${b64u('{"sub":"1"}')}.c2lnbmF0dXJl`;

export const PEM_RSA = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  'LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo',
  'myLP9zY05rCH0t5UvCbKV3pC0MFFBWu1gmDNUqk8zaxuG7zcn5KDR4pgJXFm9e0X',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
export const PEM_ENCRYPTED = [
  '-----BEGIN EC PRIVATE KEY-----',
  'Proc-Type: 4,ENCRYPTED',
  'DEK-Info: AES-128-CBC,0CA1B5E5A3C8F3F2B1A29F1B2C3D4E5F',
  '',
  'MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49',
  '-----END EC PRIVATE KEY-----',
].join('\n');
export const PEM_OPENSSH = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----';

/** True positives: each must be masked whole by its detector. */
export const POSITIVES: ReadonlyArray<[DetectorName, string]> = [
  ['email', 'alice@example.com'],
  ['email', 'first.last+tag@mail.example.co.uk'],
  ['email', 'o_brien%x@sub-domain.example.io'],
  ['payment_card', '4111111111111111'],
  ['payment_card', '4111 1111 1111 1111'],
  ['payment_card', '5500-0000-0000-0004'],
  ['payment_card', '378282246310005'],
  ['payment_card', '6011111111111117'],
  ['payment_card', '4222222222222'],
  ['payment_card', '6222-0000-0000-0000-004'],
  ['us_ssn', '123-45-6789'],
  ['us_ssn', '078 05 1120'],
  ['iban', 'DE89 3704 0044 0532 0130 00'],
  ['iban', 'GB82WEST12345698765432'],
  ['iban', 'FR1420041010050500013M02606'],
  ['iban', 'NL91ABNA0417164300'],
  ['aws_access_key', 'AKIAIOSFODNN7EXAMPLE'],
  ['aws_access_key', 'ASIAY34FZKBOKMUTVV7A'],
  ['jwt', JWT_HS256],
  ['jwt', JWT_NONE],
  ['private_key', PEM_RSA],
  ['private_key', PEM_ENCRYPTED],
  ['private_key', PEM_OPENSSH],
];

/** Near misses: none of these may be masked by any detector. */
export const NEAR_MISSES: readonly string[] = [
  'user@localhost', 'a@b.c', 'alice@example', '.alice@example.com', 'alice..b@example.com', 'x@y@example.com',
  'version 2.0@3', 'foo @ bar.com',
  '4111111111111112', '4111 1111 1111 1112', '1700000000000', '17000000000000000', '41111111111111111111',
  'x4111111111111111', '4111111111111111x', '0000000000000000', '1-4111111111111111', '12 4111111111111111',
  '000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '123456789', '123-45 6789',
  '1123-45-6789', 'tel 555-12-3456-7',
  'DE89 3704 0044 0532 0130 01', 'DE89370400440532013', 'XX89370400440532013000', 'de89370400440532013000',
  'DE89370400440532013000X',
  'AKIAIOSFODNN7EXAMPL', 'AKIAIOSFODNN7EXAMPLEX', 'AKIAiosfodnn7example', 'AGPAIOSFODNN7EXAMPLE', 'xAKIAIOSFODNN7EXAMPLE',
  JWT_NO_ALG, `${b64u('{"alg":"HS256"}')}.payload`, 'eyJub3QganNvbg.eyJzdWIiOiIxIn0.sig',
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
  'Bearer authentication', 'Bearer realm="api"', 'Bearer <token>', 'the bearer of bad news', 'xBearer abc123456789',
  'Bearer abcdefgh',
];

/** Bearer-token positives are checked in context: the word stays, the token goes. */
export const BEARERS: ReadonlyArray<[string, string]> = [
  ['Authorization: Bearer ', 'abc123.def-456_ghi~jkl'],
  ['authorization: bearer ', '0123456789abcdef0123'],
  ['curl -H "Authorization: Bearer ', 'ya29.a0AfH6SMBx-longTOKENvalue_42'],
  ['BEARER\t', 'AbCdEfGhIjKlMnOpQrStUvWx'],
];
