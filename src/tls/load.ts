import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorMessage, SwitchyardError } from '../core/errors.js';

/** A certificate (optionally followed by its chain) and its private key, both PEM. */
export interface CertPair {
  cert: string;
  key: string;
}

/**
 * Where a certificate comes from, as Traefik writes it: each field is a file path or the PEM itself
 * (a value containing `-----BEGIN` is taken as inline PEM).
 */
export interface CertificateSource {
  certFile: string;
  keyFile: string;
}

/** A certificate that parsed and whose key matches, with what the store and the API need to know about it. */
export interface LoadedCertificate extends CertPair {
  /** Lower-cased names it serves: the SAN DNS entries, or the subject CN when there are none. */
  names: string[];
  /** IP addresses from the SAN (some clients send them as SNI although RFC 6066 forbids it). */
  ipAddresses: string[];
  commonName: string | undefined;
  notBefore: Date;
  notAfter: Date;
  /** Upper-case hex, as `X509Certificate.serialNumber`. */
  serial: string;
  /** SHA-256 fingerprint of the leaf, `AB:CD:…`. */
  fingerprint: string;
  /** The certificate file path, or `inline` for inline PEM. */
  source: string;
}

const PEM_MARKER = '-----BEGIN';

/** True when a Traefik "file or content" value holds the PEM itself rather than a path. */
export function isInlinePem(value: string): boolean {
  return value.includes(PEM_MARKER);
}

/** How a cert/key value is named in messages: its path, or `inline`. */
export function describeSource(value: string): string {
  return isInlinePem(value) ? 'inline' : value;
}

/**
 * Reads a Traefik "file or content" value: inline PEM is returned as is, anything else is read as a file.
 * Throws a plain Error with the reason; callers wrap it with their context.
 */
export function readFileOrContent(value: string, what: string): string {
  if (isInlinePem(value)) return value;
  if (value.trim() === '') throw new Error(`${what} is empty`);
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${what} ${value}: ${code ?? errorMessage(err)}`, { cause: err });
  }
}

/**
 * Loads and checks a certificate pair: reads files or takes inline PEM, parses the leaf, checks that the
 * private key belongs to it.
 *
 * @throws SwitchyardError `TLS_CERTIFICATE` with message `certificate <path|inline>: <reason>`
 * @example
 *   const c = loadCertificate({ certFile: '/etc/certs/a.crt', keyFile: '/etc/certs/a.key' });
 *   c.names; // ['a.example.com', '*.a.example.com']
 */
export function loadCertificate(source: CertificateSource): LoadedCertificate {
  const label = describeSource(source.certFile);
  try {
    const cert = readFileOrContent(source.certFile, 'certificate file');
    const key = readFileOrContent(source.keyFile, 'key file');
    return parseCertificatePair({ cert, key }, label);
  } catch (err) {
    if (err instanceof SwitchyardError) throw err;
    throw new SwitchyardError('TLS_CERTIFICATE', `certificate ${label}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/**
 * Parses an in-memory PEM pair (see `loadCertificate`); `source` names it in errors and listings.
 *
 * @throws SwitchyardError `TLS_CERTIFICATE`
 */
export function parseCertificatePair(pair: CertPair, source: string): LoadedCertificate {
  const fail = (reason: string, cause?: unknown): never => {
    throw new SwitchyardError('TLS_CERTIFICATE', `certificate ${source}: ${reason}`, { cause });
  };
  if (!pair.cert.includes('-----BEGIN CERTIFICATE-----')) fail('no PEM certificate found');
  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(pair.cert);
  } catch (err) {
    fail(`invalid certificate: ${reasonOf(err)}`, err);
  }
  if (!pair.key.includes('PRIVATE KEY-----')) {
    fail(
      pair.key.includes('PUBLIC KEY-----')
        ? 'key file holds a public key, not the private key'
        : 'no PEM private key found',
    );
  }
  if (pair.key.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----'))
    fail('encrypted private keys are not supported');
  let key: KeyObject | undefined;
  try {
    key = createPrivateKey(pair.key);
  } catch (err) {
    fail(`invalid private key: ${reasonOf(err)}`, err);
  }
  if (!x509 || !key) return fail('unreadable');
  if (key.type !== 'private') fail('key file does not hold a private key');
  if (!x509.checkPrivateKey(key)) fail('private key does not match the certificate');
  const san = parseSubjectAltName(x509.subjectAltName);
  const commonName = subjectCommonName(x509.subject);
  const dnsNames = san.dns.map(normaliseName);
  const names = dnsNames.length > 0 ? dnsNames : commonName ? [normaliseName(commonName)] : [];
  return {
    cert: pair.cert,
    key: pair.key,
    names: [...new Set(names)],
    ipAddresses: san.ip,
    commonName,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    serial: x509.serialNumber.toUpperCase(),
    fingerprint: x509.fingerprint256,
    source,
  };
}

/** Lower-cases a host name and drops a trailing dot: the form every store key and lookup uses. */
export function normaliseName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function reasonOf(err: unknown): string {
  // OpenSSL messages read "error:0680007B:asn1 encoding routines::header too long"; keep reason and library.
  const message = errorMessage(err);
  const openssl = /^error:[0-9A-F]+:([^:]*):[^:]*:(.+)$/.exec(message);
  return openssl ? `${openssl[2]!.trim()} (${openssl[1]})` : message;
}

/** The entries of a certificate's subject alternative name, by kind, in certificate order. */
export interface SubjectAltNames {
  dns: string[];
  email: string[];
  /** Canonical text (IPv6 compressed, as clients write it). */
  ip: string[];
  uri: string[];
}

/** Splits Node's `subjectAltName` text (`DNS:a, IP Address:1.2.3.4`, values JSON-quoted when unusual). */
export function parseSubjectAltName(text: string | undefined): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], email: [], ip: [], uri: [] };
  if (!text) return out;
  const entry = /(?:^|, )([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (const match of text.matchAll(entry)) {
    const kind = match[1]!;
    const raw = match[2]!;
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (kind === 'DNS') out.dns.push(value);
    else if (kind === 'IP Address') out.ip.push(canonicalIp(value));
    else if (kind === 'email') out.email.push(value);
    else if (kind === 'URI') out.uri.push(value);
  }
  return out;
}

function canonicalIp(value: string): string {
  if (!value.includes(':')) return value;
  // Node prints IPv6 SANs uncompressed (0:0:…:1); the URL parser gives the canonical form clients use (::1).
  try {
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return value.toLowerCase();
  }
}

function subjectCommonName(subject: string): string | undefined {
  for (const line of subject.split('\n')) {
    if (!line.startsWith('CN=')) continue;
    const value = line.slice(3);
    return value.startsWith('"') ? (JSON.parse(value) as string) : value.replace(/\\(.)/g, '$1');
  }
  return undefined;
}
