// The builtin functions the compiler accepts: name, number of arguments, and where the code runs.
// 'native' builtins are exported AssemblyScript functions of the runtime (src/wasm/runtime/builtins.ts
// maps the name to the export); 'host' builtins go through the ABI's opa_builtinN imports to the
// TypeScript functions of src/policy/builtins (the loader passes them to the SDK as customBuiltins).
// The compile passes use `arity` to tell `count(x)` from `count(x, n)` (output argument form) and
// to reject unknown functions. A test checks that every entry exists on its side.

export type BuiltinImpl = 'native' | 'host';

export interface BuiltinSignature {
  /** The Rego name, dotted: `count`, `strings.replace_n`, `internal.member_2`. */
  name: string;
  /** Number of input arguments (the result is not counted). */
  arity: number;
  impl: BuiltinImpl;
}

const native = (name: string, arity: number): BuiltinSignature => ({ name, arity, impl: 'native' });
const host = (name: string, arity: number): BuiltinSignature => ({ name, arity, impl: 'host' });

export const BUILTINS: readonly BuiltinSignature[] = [
  // Operators (the parser desugars infix forms to these names).
  native('plus', 2), native('minus', 2), native('mul', 2), native('div', 2), native('rem', 2),
  native('equal', 2), native('neq', 2), native('lt', 2), native('lte', 2), native('gt', 2), native('gte', 2),
  native('and', 2), native('or', 2),
  native('internal.member_2', 2), native('internal.member_3', 3),

  // Aggregates.
  native('count', 1), native('sum', 1), native('product', 1), native('max', 1), native('min', 1),
  native('sort', 1), native('any', 1), native('all', 1),

  // Types.
  native('is_number', 1), native('is_string', 1), native('is_boolean', 1), native('is_array', 1),
  native('is_set', 1), native('is_object', 1), native('is_null', 1), native('type_name', 1),

  // Numbers.
  native('abs', 1), native('round', 1), native('ceil', 1), native('floor', 1),
  native('to_number', 1), native('numbers.range', 2), native('numbers.range_step', 3),
  native('format_int', 2),
  native('bits.and', 2), native('bits.or', 2), native('bits.xor', 2), native('bits.negate', 1),
  native('bits.lsh', 2), native('bits.rsh', 2),

  // Strings.
  native('concat', 2), native('contains', 2), native('startswith', 2), native('endswith', 2),
  native('lower', 1), native('upper', 1), native('split', 2), native('replace', 3),
  native('trim', 2), native('trim_left', 2), native('trim_right', 2), native('trim_prefix', 2),
  native('trim_suffix', 2), native('trim_space', 1), native('indexof', 2), native('indexof_n', 2),
  native('substring', 3), native('sprintf', 2), native('internal.template_string', 1), native('strings.replace_n', 2),
  native('strings.reverse', 1), native('strings.count', 2),
  native('strings.any_prefix_match', 2), native('strings.any_suffix_match', 2),
  native('strings.split_n', 3),

  // Arrays, objects, sets.
  native('array.concat', 2), native('array.slice', 3), native('array.reverse', 1), native('array.flatten', 1),
  native('object.get', 3), native('object.keys', 1), native('object.remove', 2),
  native('object.union', 2), native('object.union_n', 1), native('object.filter', 2),
  native('object.subset', 2), native('union', 1), native('intersection', 1),
  native('json.filter', 2), native('json.remove', 2),

  // Encoding.
  native('json.marshal', 1), native('json.marshal_with_options', 2), native('json.unmarshal', 1), native('json.is_valid', 1),
  host('base64.encode', 1), host('base64.decode', 1), host('base64.is_valid', 1),
  host('base64url.encode', 1), host('base64url.decode', 1), host('base64url.encode_no_pad', 1),
  host('hex.encode', 1), host('hex.decode', 1),
  host('urlquery.encode', 1), host('urlquery.decode', 1),
  host('urlquery.encode_object', 1), host('urlquery.decode_object', 1),

  // Regular expressions (RE2 semantics) and globs.
  host('regex.match', 2), host('regex.is_valid', 1), host('regex.find_n', 3),
  host('regex.find_all_string_submatch_n', 3), host('regex.split', 2), host('regex.replace', 3),
  host('regex.template_match', 4), host('regex.globs_match', 2),
  host('glob.match', 3), host('glob.quote_meta', 1),

  // Networks.
  host('net.cidr_contains', 2), host('net.cidr_intersects', 2), host('net.cidr_merge', 1), host('net.cidr_is_valid', 1),

  // Time.
  host('time.now_ns', 0), host('time.parse_rfc3339_ns', 1), host('time.parse_duration_ns', 1),
  host('time.date', 1), host('time.clock', 1), host('time.weekday', 1), host('time.add_date', 4),
  host('time.format', 1),

  // Crypto and identifiers.
  host('crypto.sha256', 1), host('crypto.sha1', 1), host('crypto.md5', 1),
  host('crypto.hmac.sha256', 2), host('crypto.hmac.sha1', 2), host('crypto.hmac.sha512', 2),
  host('crypto.hmac.md5', 2), host('crypto.hmac.equal', 2),
  host('uuid.rfc4122', 1), host('uuid.parse', 1), host('io.jwt.decode', 1),
  ...['hs', 'rs', 'ps', 'es'].flatMap((f) => [256, 384, 512].map((n) => host(`io.jwt.verify_${f}${n}`, 2))),

  // YAML (the SDK's own implementations take precedence at run time).
  host('yaml.marshal', 1), host('yaml.unmarshal', 1), host('yaml.is_valid', 1),

  // Units and versions.
  host('units.parse', 1), host('units.parse_bytes', 1),
  host('semver.compare', 2), host('semver.is_valid', 1),

  // GraphQL.
  host('graphql.parse_query', 1), host('graphql.parse_schema', 1), host('graphql.parse', 2),
  host('graphql.parse_and_verify', 2), host('graphql.is_valid', 2), host('graphql.schema_is_valid', 1),

  // JWT signing and full verification.
  host('io.jwt.decode_verify', 2), host('io.jwt.encode_sign', 3), host('io.jwt.encode_sign_raw', 3),

  // URIs and networks.
  host('uri.parse', 1), host('uri.is_valid', 1), host('net.cidr_expand', 1), host('net.cidr_contains_matches', 2),

  // Cloud providers.
  host('providers.aws.sign_req', 3),

  // Graphs and documents. `walk` returns the array of [path, value] pairs the planner iterates.
  host('graph.reachable', 2), host('graph.reachable_paths', 2), native('walk', 1),

  // HTTP: registered for `with` mocking only; the host implementation is always undefined.
  host('http.send', 1),

  // X.509 and private keys.
  host('crypto.x509.parse_certificates', 1), host('crypto.x509.parse_and_verify_certificates', 1),
  host('crypto.x509.parse_certificate_request', 1), host('crypto.x509.parse_keypair', 2),
  host('crypto.x509.parse_rsa_private_key', 1), host('crypto.parse_private_keys', 1),

  // JSON patch and schema.
  host('json.patch', 2), host('json.match_schema', 2), host('json.verify_schema', 1),
];

const byName = new Map<string, BuiltinSignature>(BUILTINS.map((b) => [b.name, b]));

/** The signature of a builtin by its dotted name, or undefined when we do not support it. */
export function builtinSignature(name: string): BuiltinSignature | undefined {
  return byName.get(name);
}

/** True when `name` is a builtin we support. */
export function isBuiltin(name: string): boolean {
  return byName.has(name);
}
