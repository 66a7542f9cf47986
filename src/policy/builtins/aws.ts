// providers.aws.sign_req(request, config, time_ns): AWS Signature Version 4 for an
// http.send-style request object. The request's own headers are signed alongside host,
// x-amz-date, x-amz-content-sha256 (s3 and glacier only) and x-amz-security-token, and the
// signed request comes back with those headers and `Authorization` added. The body is
// `raw_body` when given, else `body` as compact JSON; `disable_payload_signing` signs
// UNSIGNED-PAYLOAD instead of the body hash.
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from './jwt-sign.ts';
import { escapePath, parseUri } from './uri.ts';
import { isNumber, isObject, isString, type HostBuiltin } from './values.ts';

const IGNORED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');
const mac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** JSON as Go's encoder writes it: sorted keys, compact, HTML-significant characters escaped. */
function goJson(v: unknown): string {
  return canonicalJson(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function stamp(ns: number): { day: string; time: string } {
  const iso = new Date(Math.floor(ns / 1e6)).toISOString(); // 2015-12-28T14:08:25.000Z
  const day = iso.slice(0, 10).replace(/-/g, '');
  return { day, time: `${day}T${iso.slice(11, 19).replace(/:/g, '')}Z` };
}

function signRequest(req: unknown, config: unknown, timeNs: unknown): unknown {
  if (!isObject(req) || !isString(req.method) || !isString(req.url)) return undefined;
  if (!isObject(config)) return undefined;
  const { aws_access_key: access, aws_secret_access_key: secret, aws_service: service, aws_region: region } = config;
  if (!isString(access) || !isString(secret) || !isString(service) || !isString(region)) return undefined;
  const token = config.aws_session_token;
  if (token !== undefined && !isString(token)) return undefined;
  const unsigned = config.disable_payload_signing ?? false;
  if (typeof unsigned !== 'boolean') return undefined;
  if (!isNumber(timeNs) || timeNs < 0) return undefined;
  const headers = req.headers ?? {};
  if (!isObject(headers)) return undefined;

  const url = parseUri(req.url);
  const body = isString(req.raw_body) ? req.raw_body : req.body !== undefined ? goJson(req.body) : '';
  const bodyHash = unsigned ? 'UNSIGNED-PAYLOAD' : sha256(body);
  const { day, time } = stamp(timeNs);
  const awsHeaders: Record<string, string> = { host: url.host, 'x-amz-date': time };
  if (service === 's3' || service === 'glacier') awsHeaders['x-amz-content-sha256'] = bodyHash;
  if (isString(token) && token !== '') awsHeaders['x-amz-security-token'] = token;

  // The request's headers win over the generated ones in what is signed, as in OPA.
  const toSign = new Map<string, string>(Object.entries(awsHeaders));
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (!IGNORED_HEADERS.has(name)) toSign.set(name, isString(v) ? v : goJson(v));
  }
  const names = [...toSign.keys()].sort();
  const path = url.rawPath !== '' ? url.rawPath : escapePath(url.path);
  const canonical = [
    req.method, path, url.rawQuery, names.map((n) => `${n}:${toSign.get(n)!}\n`).join(''), names.join(';'), bodyHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSignText = `AWS4-HMAC-SHA256\n${time}\n${scope}\n${sha256(canonical)}`;
  let key = mac(`AWS4${secret}`, day);
  for (const part of [region, service, 'aws4_request']) key = mac(key, part);
  const signature = mac(key, toSignText).toString('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${access}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;
  return { ...req, headers: { ...headers, ...awsHeaders, Authorization: authorization } };
}

export const awsBuiltins: Record<string, HostBuiltin> = {
  'providers.aws.sign_req': signRequest,
};
