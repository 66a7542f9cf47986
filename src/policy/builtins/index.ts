// The host builtins the loader passes to the SDK as customBuiltins. Every function is wrapped so
// that an unexpected exception yields undefined (an undefined expression) instead of a trap.
import { awsBuiltins } from './aws.ts';
import { cryptoBuiltins } from './crypto.ts';
import { encodingBuiltins } from './encoding.ts';
import { globBuiltins } from './glob.ts';
import { graphBuiltins } from './graph.ts';
import { graphqlBuiltins } from './graphql.ts';
import { httpBuiltins } from './http.ts';
import { jsonPatchBuiltins } from './json-patch.ts';
import { jsonSchemaBuiltins } from './json-schema.ts';
import { jwtBuiltins } from './jwt.ts';
import { jwtDecodeVerifyBuiltins } from './jwt-decode-verify.ts';
import { jwtSignBuiltins } from './jwt-sign.ts';
import { jwtVerifyBuiltins } from './jwt-verify.ts';
import { netBuiltins } from './net.ts';
import { netExpandBuiltins } from './net-expand.ts';
import { netMatchesBuiltins } from './net-matches.ts';
import { regexBuiltins } from './regex.ts';
import { globIntersectBuiltins } from './glob-intersect.ts';
import { semverBuiltins } from './semver.ts';
import { timeBuiltins } from './time.ts';
import { timeFormatBuiltins } from './time-format.ts';
import { unitsBuiltins } from './units.ts';
import { uriBuiltins } from './uri.ts';
import { uuidBuiltins } from './uuid.ts';
import { x509Builtins } from './x509.ts';
import { yamlBuiltins } from './yaml.ts';
import { safe, type HostBuiltin } from './values.ts';

export type { HostBuiltin } from './values.ts';

const all: Record<string, HostBuiltin> = {
  ...regexBuiltins,
  ...globIntersectBuiltins,
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
  ...uriBuiltins,
  ...netExpandBuiltins,
  ...netMatchesBuiltins,
  ...awsBuiltins,
  ...graphBuiltins,
  ...httpBuiltins,
  ...x509Builtins,
  ...jsonPatchBuiltins,
  ...jsonSchemaBuiltins,
};

export const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = Object.fromEntries(
  Object.entries(all).map(([name, fn]) => [name, safe(fn)]),
);
