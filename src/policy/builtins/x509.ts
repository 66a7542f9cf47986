// crypto.x509.* and crypto.parse_private_keys. Inputs are PEM text, or base64 of PEM or of DER
// (certificates may be concatenated DER). Certificates and requests come back as a subset of
// the JSON of Go's x509 structs, which OPA returns: Raw, Version, SerialNumber, Subject, Issuer
// (with CommonName, Country, Organization, … and Names), NotBefore / NotAfter, DNSNames,
// EmailAddresses, IPAddresses, URIStrings, IsCA, PublicKeyAlgorithm, SignatureAlgorithm; absent
// lists are null as in Go. Private keys come back as JWKs.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { DerError, children, expectTag, integer, oid, readTlv, text, type Tlv } from './der.ts';
import { isString, type HostBuiltin } from './values.ts';

class X509Error extends Error {}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

interface PemBlock { type: string; der: Buffer }

function pemBlocks(textIn: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of textIn.matchAll(PEM_BLOCK)) {
    const body = m[2]!.split(/\r?\n/).filter((l) => !l.includes(':')).join('').replace(/\s+/g, '');
    out.push({ type: m[1]!, der: strictBase64(body) });
  }
  return out;
}

function strictBase64(s: string): Buffer {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new X509Error('illegal base64 data');
  return Buffer.from(clean, 'base64');
}

/** PEM text as is; anything else is base64 of PEM or of DER. */
function decodeInput(s: string): { pem: string } | { der: Buffer } {
  if (s.trimStart().startsWith('-----BEGIN')) return { pem: s };
  const raw = strictBase64(s);
  const t = raw.toString('latin1');
  return t.trimStart().startsWith('-----BEGIN') ? { pem: t } : { der: raw };
}

// ---- names and algorithms ----

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country', '2.5.4.10': 'Organization', '2.5.4.11': 'OrganizationalUnit', '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province', '2.5.4.9': 'StreetAddress', '2.5.4.17': 'PostalCode',
};

function parseName(buf: Buffer, t: Tlv): Record<string, unknown> {
  expectTag(t, 0x30);
  const out: Record<string, unknown> = {
    Country: null, Organization: null, OrganizationalUnit: null, Locality: null, Province: null,
    StreetAddress: null, PostalCode: null, SerialNumber: '', CommonName: '', Names: [], ExtraNames: null,
  };
  const names: unknown[] = [];
  for (const set of children(buf, t)) {
    for (const atv of children(buf, expectTag(set, 0x31))) {
      const [typeTlv, valueTlv] = children(buf, expectTag(atv, 0x30));
      const type = oid(buf, typeTlv!);
      const value = text(buf, valueTlv!);
      names.push({ Type: type, Value: value });
      const key = type.join('.');
      if (key === '2.5.4.3') out.CommonName = value;
      else if (key === '2.5.4.5') out.SerialNumber = value;
      else if (NAME_FIELDS[key] !== undefined) {
        const f = NAME_FIELDS[key]!;
        out[f] = [...((out[f] as string[] | null) ?? []), value];
      }
    }
  }
  out.Names = names;
  return out;
}

/** Go's x509.SignatureAlgorithm numbers by OID. */
const SIGNATURE_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.4': 2, '1.2.840.113549.1.1.5': 3, '1.2.840.113549.1.1.11': 4, '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6, '1.2.840.10040.4.3': 7, '2.16.840.1.101.3.4.3.2': 8, '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10, '1.2.840.10045.4.3.3': 11, '1.2.840.10045.4.3.4': 12, '1.2.840.113549.1.1.10': 13,
  '1.3.101.112': 16,
};

function publicKeyAlgorithm(key: KeyObject): number {
  switch (key.asymmetricKeyType) {
    case 'rsa': case 'rsa-pss': return 1;
    case 'dsa': return 2;
    case 'ec': return 3;
    case 'ed25519': return 4;
    default: return 0;
  }
}

function signatureAlgorithm(buf: Buffer, algId: Tlv | undefined): number {
  const first = children(buf, expectTag(algId, 0x30))[0];
  return SIGNATURE_ALGORITHMS[oid(buf, first!).join('.')] ?? 0;
}

/** Go's time format for x509 times (RFC 3339, UTC). */
function goTime(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

interface Sans { dns: string[]; email: string[]; ip: string[]; uri: string[] }

function parseSans(buf: Buffer, ext: Tlv): Sans {
  const out: Sans = { dns: [], email: [], ip: [], uri: [] };
  const seq = readTlv(buf, ext.start, ext.end);
  for (const g of children(buf, expectTag(seq, 0x30))) {
    const v = buf.subarray(g.start, g.end);
    switch (g.tag) {
      case 0x81: out.email.push(v.toString('latin1')); break;
      case 0x82: out.dns.push(v.toString('latin1')); break;
      case 0x86: out.uri.push(v.toString('latin1')); break;
      case 0x87: out.ip.push(v.length === 4 ? [...v].join('.') : formatV6(v)); break;
      default: break;
    }
  }
  return out;
}

function formatV6(v: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i + 1 < v.length; i += 2) groups.push(v.readUInt16BE(i).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; i++) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  return best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

const nullIfEmpty = (l: string[]): string[] | null => (l.length === 0 ? null : l);

/** A certificate as Go's x509.Certificate JSON (the subset described above). */
function certificateJson(der: Buffer): { json: Record<string, unknown>; cert: X509Certificate } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new X509Error('x509: malformed certificate');
  }
  const top = readTlv(der, 0);
  const [tbs, sigAlg] = children(der, expectTag(top, 0x30));
  const fields = children(der, expectTag(tbs, 0x30));
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    version = Number(integer(der, readTlv(der, fields[0].start, fields[0].end))) + 1;
    i = 1;
  }
  const serial = integer(der, fields[i]!);
  const issuer = parseName(der, fields[i + 2]!);
  const subject = parseName(der, fields[i + 4]!);
  let sans: Sans = { dns: [], email: [], ip: [], uri: [] };
  const extsWrapper = fields.slice(i + 6).find((f) => f.tag === 0xa3);
  if (extsWrapper !== undefined) {
    const exts = readTlv(der, extsWrapper.start, extsWrapper.end);
    for (const ext of children(der, expectTag(exts, 0x30))) {
      const parts = children(der, expectTag(ext, 0x30));
      if (oid(der, parts[0]!).join('.') === '2.5.29.17') sans = parseSans(der, parts[parts.length - 1]!);
    }
  }
  const json: Record<string, unknown> = {
    Raw: der.toString('base64'),
    Version: version,
    SerialNumber: Number(serial),
    Issuer: issuer,
    Subject: subject,
    NotBefore: goTime(new Date(cert.validFrom)),
    NotAfter: goTime(new Date(cert.validTo)),
    DNSNames: nullIfEmpty(sans.dns),
    EmailAddresses: nullIfEmpty(sans.email),
    IPAddresses: nullIfEmpty(sans.ip),
    URIStrings: nullIfEmpty(sans.uri),
    IsCA: cert.ca,
    PublicKeyAlgorithm: publicKeyAlgorithm(cert.publicKey),
    SignatureAlgorithm: signatureAlgorithm(der, sigAlg),
  };
  return { json, cert };
}

/** Splits concatenated DER certificates. */
function splitDer(der: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < der.length; ) {
    const t = readTlv(der, p);
    out.push(Buffer.from(t.bytes));
    p = t.next;
  }
  return out;
}

function certificateDers(s: string): Buffer[] {
  const input = decodeInput(s);
  if ('der' in input) return splitDer(input.der);
  return pemBlocks(input.pem).filter((b) => b.type === 'CERTIFICATE').map((b) => b.der);
}

function parseCertificates(s: unknown): Array<{ json: Record<string, unknown>; cert: X509Certificate }> {
  if (!isString(s)) throw new X509Error('a string is required');
  const ders = certificateDers(s);
  if (ders.length === 0) throw new X509Error('x509: no certificates');
  return ders.map(certificateJson);
}

/**
 * The input lists the root first and the leaf last (intermediates between); the chain runs from
 * the leaf to the root: each certificate issued and signed by the next, all valid now, every
 * issuer a CA.
 */
function verifyChain(certs: X509Certificate[]): boolean {
  if (certs.length < 2) return false;
  const now = Date.now();
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i]!;
    const issuer = certs[i + 1] ?? c;
    if (now < Date.parse(c.validFrom) || now > Date.parse(c.validTo)) return false;
    if (i > 0 && !c.ca) return false;
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) return false;
  }
  return true;
}

// ---- certificate requests ----

function parseCsr(s: unknown): Record<string, unknown> {
  if (!isString(s)) throw new X509Error('a string is required');
  const input = decodeInput(s);
  const der = 'der' in input ? input.der : pemBlocks(input.pem).find((b) => b.type === 'CERTIFICATE REQUEST' || b.type === 'NEW CERTIFICATE REQUEST')?.der;
  if (der === undefined) throw new X509Error('no certificate request');
  const top = readTlv(der, 0);
  const [info, sigAlg] = children(der, expectTag(top, 0x30));
  const [version, subject, spki] = children(der, expectTag(info, 0x30));
  const key = createPublicKey({ key: Buffer.from(spki!.bytes), format: 'der', type: 'spki' });
  return {
    Raw: der.toString('base64'),
    Version: Number(integer(der, version!)),
    Subject: parseName(der, subject!),
    PublicKeyAlgorithm: publicKeyAlgorithm(key),
    SignatureAlgorithm: signatureAlgorithm(der, sigAlg),
    DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null,
  };
}

// ---- private keys ----

const KEY_TYPES = new Set(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY']);

function privateKeyJwk(block: PemBlock): Record<string, unknown> {
  const type = block.type === 'RSA PRIVATE KEY' ? 'pkcs1' : block.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
  return createPrivateKey({ key: block.der, format: 'der', type }).export({ format: 'jwk' }) as Record<string, unknown>;
}

function pemText(s: string): string {
  const input = decodeInput(s);
  return 'pem' in input ? input.pem : input.der.toString('latin1');
}

function parseRsaPrivateKey(s: unknown): unknown {
  if (!isString(s)) throw new X509Error('a string is required');
  const block = pemBlocks(pemText(s))[0];
  if (block === undefined || (block.type !== 'RSA PRIVATE KEY' && block.type !== 'PRIVATE KEY')) throw new X509Error('no RSA private key');
  const jwk = privateKeyJwk(block);
  if (jwk.kty !== 'RSA') throw new X509Error('not an RSA key');
  return jwk;
}

function parsePrivateKeys(s: unknown): unknown {
  if (!isString(s)) throw new X509Error('a string is required');
  if (s === '') return null;
  return pemBlocks(pemText(s)).filter((b) => KEY_TYPES.has(b.type)).map(privateKeyJwk);
}

function parseKeypair(certText: unknown, keyText: unknown): unknown {
  if (!isString(certText) || !isString(keyText)) throw new X509Error('strings are required');
  const ders = pemBlocks(pemText(certText)).filter((b) => b.type === 'CERTIFICATE').map((b) => b.der);
  const keyBlock = pemBlocks(pemText(keyText)).find((b) => KEY_TYPES.has(b.type));
  if (ders.length === 0 || keyBlock === undefined) throw new X509Error('tls: failed to find certificate or key');
  const leaf = certificateJson(ders[0]!);
  const type = keyBlock.type === 'RSA PRIVATE KEY' ? 'pkcs1' : keyBlock.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
  const key = createPrivateKey({ key: keyBlock.der, format: 'der', type });
  const spki = (k: KeyObject): string => k.export({ format: 'der', type: 'spki' }).toString('base64');
  if (spki(createPublicKey(key)) !== spki(leaf.cert.publicKey)) throw new X509Error('tls: private key does not match public key');
  return {
    Certificate: ders.map((d) => d.toString('base64')),
    PrivateKey: key.export({ format: 'jwk' }),
    Leaf: leaf.json,
  };
}

export const x509Builtins: Record<string, HostBuiltin> = {
  'crypto.x509.parse_certificates': (s) => parseCertificates(s).map((c) => c.json),
  'crypto.x509.parse_and_verify_certificates': (s) => {
    let certs: ReturnType<typeof parseCertificates>;
    try {
      certs = parseCertificates(s);
    } catch (e) {
      if (e instanceof X509Error || e instanceof DerError) return [false, []];
      throw e;
    }
    const chain = [...certs].reverse();
    return verifyChain(chain.map((c) => c.cert)) ? [true, chain.map((c) => c.json)] : [false, []];
  },
  'crypto.x509.parse_certificate_request': parseCsr,
  'crypto.x509.parse_keypair': parseKeypair,
  'crypto.x509.parse_rsa_private_key': parseRsaPrivateKey,
  'crypto.parse_private_keys': parsePrivateKeys,
};
