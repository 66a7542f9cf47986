// The host builtins the loader passes to the SDK as customBuiltins. Every function is wrapped so
// that an unexpected exception yields undefined (an undefined expression) instead of a trap.
import { cryptoBuiltins } from './crypto.ts';
import { encodingBuiltins } from './encoding.ts';
import { globBuiltins } from './glob.ts';
import { graphqlBuiltins } from './graphql.ts';
import { jwtBuiltins } from './jwt.ts';
import { jwtDecodeVerifyBuiltins } from './jwt-decode-verify.ts';
import { jwtSignBuiltins } from './jwt-sign.ts';
import { jwtVerifyBuiltins } from './jwt-verify.ts';
import { netBuiltins } from './net.ts';
import { regexBuiltins } from './regex.ts';
import { semverBuiltins } from './semver.ts';
import { timeBuiltins } from './time.ts';
import { timeFormatBuiltins } from './time-format.ts';
import { unitsBuiltins } from './units.ts';
import { uuidBuiltins } from './uuid.ts';
import { yamlBuiltins } from './yaml.ts';
import { safe, type HostBuiltin } from './values.ts';

export type { HostBuiltin } from './values.ts';

const all: Record<string, HostBuiltin> = {
  ...regexBuiltins,
  ...globBuiltins,
  ...netBuiltins,
  ...timeBuiltins,
  ...timeFormatBuiltins,
  ...cryptoBuiltins,
  ...encodingBuiltins,
  ...unitsBuiltins,
  ...semverBuiltins,
  ...jwtBuiltins,
  ...jwtVerifyBuiltins,
  ...uuidBuiltins,
  ...yamlBuiltins,
  ...graphqlBuiltins,
  ...jwtDecodeVerifyBuiltins,
  ...jwtSignBuiltins,
};

export const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = Object.fromEntries(
  Object.entries(all).map(([name, fn]) => [name, safe(fn)]),
);
