// The HTTP action document: what a policy sees of one HTTP request.
// Kept in step with schema.ts (the test suite validates documents against it).

/** One request as an adapter hands it over. */
export interface HttpRequest {
  method: string;
  /** absolute-form (`https://h/p?q`), origin-form (`/p?q`, host from the Host header),
   *  authority-form (`h:443`, CONNECT only) or `*` (OPTIONS only). */
  url: string;
  /** a Node-style record (repeated headers as arrays) or ordered name/value pairs. */
  headers?: Record<string, string | string[] | undefined> | ReadonlyArray<readonly [string, string]>;
  body?: Uint8Array | string;
}

export interface HttpOptions {
  /** scheme for origin-form URLs (the listener knows it); default 'http'. */
  scheme?: 'http' | 'https';
  /** bodies larger than this many bytes are not parsed; default 64 KiB. */
  bodyCap?: number;
  /** longer URLs are a parse_error; default 8 KiB. */
  maxUrlLength?: number;
  /** more headers than this is a parse_error; default 256. */
  maxHeaders?: number;
  /** JSON nesting deeper than this is not parsed; default 64. */
  maxDepth?: number;
  /** look for GraphQL in JSON bodies with a string `query` and in GET …/graphql?query=; default true.
   *  Turn off for upstreams that are not GraphQL, where a JSON `query` field is just data. */
  graphql?: boolean;
  /** extra header names to redact (case-insensitive). */
  redactHeaders?: readonly string[];
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type GraphqlOperationType = 'query' | 'mutation' | 'subscription';

export interface GraphqlOperation {
  operation: GraphqlOperationType;
  name: string | null;
}

export interface GraphqlInfo {
  /** the operation the server would execute; 'unknown' when that cannot be told for sure. */
  operation: GraphqlOperationType | 'unknown';
  name: string | null;
  /** top-level fields of the selected operation (aliases resolved to field names). */
  fields: string[];
  /** false when a fragment spread or inline fragment hides some top-level fields. */
  fields_complete: boolean;
  /** every operation defined in the document(s), in order. */
  operations: GraphqlOperation[];
}

export type HttpBody =
  | { kind: 'none' }
  | { kind: 'json'; size: number; json: JsonValue }
  | { kind: 'form'; size: number; form: Record<string, string[]> }
  | { kind: 'graphql'; size: number }
  | { kind: 'raw'; size: number; content_type: string | null }
  | { kind: 'invalid'; size: number; content_type: string | null; error: string }
  | { kind: 'truncated'; size: number; truncated: true; content_type: string | null };

export const HTTP_FLAGS = [
  'path_traversal', 'dot_segment', 'double_slash', 'encoded_slash', 'double_encoding',
  'invalid_percent_encoding', 'backslash', 'path_params', 'invalid_utf8', 'non_ascii_host',
  'ip_host_noncanonical', 'userinfo', 'fragment', 'host_mismatch', 'duplicate_header',
  'ambiguous_length', 'method_override', 'secret_in_query', 'body_truncated', 'body_invalid',
  'body_too_deep', 'body_encoded', 'body_charset', 'body_duplicate_key', 'body_untyped',
  'graphql_ambiguous', 'graphql_batch', 'graphql_invalid',
] as const;

/** Facts about the request a policy should weigh; docs/actions/http.md explains each. */
export type HttpFlag = (typeof HTTP_FLAGS)[number];

export interface ParseError {
  code: string;
  message: string;
  /** offset in the field named by `field` (characters), when known. */
  position?: number;
  field?: 'method' | 'url' | 'headers' | 'body';
}

export interface HttpActionOk {
  version: 1;
  kind: 'http';
  method: string;
  scheme: 'http' | 'https' | 'ws' | 'wss';
  host: string;
  host_type: 'name' | 'ipv4' | 'ipv6';
  port: number;
  /** decoded once and normalized; a literal '%' is written %25 and a '/' inside a segment %2F,
   *  so two different requests never share a path. */
  path: string;
  /** decoded path segments (no empty ones). */
  segments: string[];
  query: Record<string, string[]>;
  /** lowercased names, values in arrival order, secrets redacted. */
  headers: Record<string, string[]>;
  body: HttpBody;
  graphql?: GraphqlInfo;
  flags: HttpFlag[];
}

export interface HttpActionError {
  version: 1;
  kind: 'http';
  parse_error: ParseError;
  flags: HttpFlag[];
}

export type HttpAction = HttpActionOk | HttpActionError;
