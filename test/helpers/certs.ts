/**
 * In-memory test PKI: certificate authorities, leaf certificates and self-signed certificates as PEM strings,
 * generated with WebCrypto (ECDSA P-256 by default, which takes a few milliseconds per key). Also a TLS
 * server/probe pair to see which certificate a server presents.
 *
 * @example
 *   const ca = await createCA({ commonName: 'Test Root' });
 *   const leaf = await issueCert(ca, { dnsNames: ['a.example.com'] });
 *   tls.createServer({ cert: leaf.cert, key: leaf.key });
 *   tls.connect({ port, servername: 'a.example.com', ca: ca.cert });
 */
import { KeyObject, webcrypto } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  type ConnectionOptions,
  createServer as createTlsServer,
  type TlsOptions,
  type Server as TlsServer,
  connect as tlsConnect,
} from 'node:tls';
import type * as X509 from '@peculiar/x509';
import { loadX509 } from '../../src/tls/x509-lib.js';

const DAY_MS = 86_400_000;

/** A certificate and its private key, both PEM (the key is PKCS#8). */
export interface PemPair {
  cert: string;
  key: string;
}

/** A certificate authority that can issue certificates; `cert`/`key` are PEM like any other pair. */
export interface TestCA extends PemPair {
  /** The subject common name. */
  commonName: string;
  /** PEM of this CA followed by the intermediates above it (empty for a root). */
  chain: string;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly certificate: X509.X509Certificate;
}

/** A leaf certificate; `fullChain` is the leaf followed by any intermediates (what a server should send). */
export interface IssuedCert extends PemPair {
  fullChain: string;
  /** The serial number, upper-case hex as Node's `X509Certificate.serialNumber` reports it. */
  serial: string;
}

/** The key algorithm: `ec` (P-256, fast, the default) or `rsa` (2048 bits, for RSA cipher suites). */
export type TestKeyType = 'ec' | 'rsa';

/** What a leaf certificate says about itself. */
export interface LeafOptions {
  dnsNames: string[];
  ipAddresses?: string[];
  /** Defaults to the first DNS name, else the first IP address. */
  commonName?: string;
  /** Days from `notBefore` to expiry; default 30. */
  validDays?: number;
  /** Default: one hour ago (tolerates small clock differences). */
  notBefore?: Date;
  keyType?: TestKeyType;
}

let serialCounter = 0;

function nextSerial(): string {
  // Unique within the process and positive: a leading 01 byte keeps the DER integer from being negative.
  serialCounter += 1;
  const random = Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex');
  return `01${random}${serialCounter.toString(16).padStart(4, '0')}`;
}

function algorithm(keyType: TestKeyType): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  return keyType === 'rsa'
    ? {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      }
    : { name: 'ECDSA', namedCurve: 'P-256' };
}

function signingAlgorithm(keys: webcrypto.CryptoKeyPair): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return keys.privateKey.algorithm.name === 'ECDSA'
    ? { name: 'ECDSA', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5' };
}

function generateKeys(keyType: TestKeyType): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithm(keyType), true, ['sign', 'verify']);
}

function keyPem(keys: webcrypto.CryptoKeyPair): string {
  return KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function validity(
  opts: { validDays?: number; notBefore?: Date },
  days = 30,
): { notBefore: Date; notAfter: Date } {
  const start = opts.notBefore ?? new Date(Date.now() - 3_600_000);
  return { notBefore: start, notAfter: new Date(start.getTime() + (opts.validDays ?? days) * DAY_MS) };
}

function subjectFor(commonName: string): string {
  // The x509 name parser treats `,`, `+`, `=` and `\` specially; escape them so any test name works.
  return `CN=${commonName.replace(/[,+=\\"<>;]/g, (c) => `\\${c}`)}`;
}

/**
 * Creates a certificate authority: a root (self-signed) or, with `issuer`, an intermediate signed by it.
 */
export async function createCA(opts: {
  commonName: string;
  issuer?: TestCA;
  validDays?: number;
  notBefore?: Date;
  keyType?: TestKeyType;
}): Promise<TestCA> {
  const x509 = await loadX509();
  const keys = await generateKeys(opts.keyType ?? 'ec');
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false),
  ];
  const period = validity(opts, 365);
  const subject = subjectFor(opts.commonName);
  let certificate: X509.X509Certificate;
  if (opts.issuer) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.keys.publicKey, false));
    certificate = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject,
      issuer: opts.issuer.certificate.subject,
      ...period,
      publicKey: keys.publicKey,
      signingKey: opts.issuer.keys.privateKey,
      signingAlgorithm: signingAlgorithm(opts.issuer.keys),
      extensions,
    });
  } else {
    certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: nextSerial(),
      name: subject,
      ...period,
      keys,
      signingAlgorithm: signingAlgorithm(keys),
      extensions,
    });
  }
  const cert = joinPem(certificate.toString('pem'));
  const chain = opts.issuer ? joinPem(cert, opts.issuer.chain) : '';
  return { commonName: opts.commonName, cert, key: keyPem(keys), chain, keys, certificate };
}

function joinPem(...parts: string[]): string {
  const blocks = parts.map((p) => p.trim()).filter((p) => p.length > 0);
  return `${blocks.join('\n')}\n`;
}

function leafExtensions(x509: typeof X509, opts: LeafOptions): X509.Extension[] {
  const names: X509.JsonGeneralName[] = [
    ...opts.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // keyEncipherment only means something for RSA key exchange.
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | (opts.keyType === 'rsa' ? x509.KeyUsageFlags.keyEncipherment : 0),
      true,
    ),
    // Both usages so one helper serves HTTPS servers and mTLS clients alike.
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  return extensions;
}

function leafCommonName(opts: LeafOptions): string {
  return opts.commonName ?? opts.dnsNames[0] ?? opts.ipAddresses?.[0] ?? 'switchyard-test';
}

/** Issues a leaf certificate (server and client usage) signed by `ca`. */
export async function issueCert(ca: TestCA, opts: LeafOptions): Promise<IssuedCert> {
  const x509 = await loadX509();
  const keys = await generateKeys(opts.keyType ?? 'ec');
  const extensions = leafExtensions(x509, opts);
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false));
  const serialNumber = nextSerial();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: subjectFor(leafCommonName(opts)),
    issuer: ca.certificate.subject,
    ...validity(opts),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: signingAlgorithm(ca.keys),
    extensions,
  });
  const cert = joinPem(certificate.toString('pem'));
  // A root is what clients trust, so it is never sent; intermediates are.
  return { cert, key: keyPem(keys), fullChain: joinPem(cert, ca.chain), serial: serialNumber.toUpperCase() };
}

/** A self-signed leaf certificate (no CA): the shortest way to get a server going. */
export async function selfSignedCert(opts: LeafOptions): Promise<IssuedCert> {
  const x509 = await loadX509();
  const keys = await generateKeys(opts.keyType ?? 'ec');
  const serialNumber = nextSerial();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: subjectFor(leafCommonName(opts)),
    ...validity(opts),
    keys,
    signingAlgorithm: signingAlgorithm(keys),
    extensions: leafExtensions(x509, opts),
  });
  const cert = joinPem(certificate.toString('pem'));
  return { cert, key: keyPem(keys), fullChain: cert, serial: serialNumber.toUpperCase() };
}

/**
 * What one TLS client connection saw: the served certificate's CN and serial, protocol, OpenSSL cipher name,
 * ALPN result, whether `opts.session` was resumed, the last session to resume later, and all data read.
 */
export interface TlsProbe {
  handshake: boolean;
  commonName?: string;
  serial?: string;
  protocol?: string | null;
  cipher?: string;
  alpn?: string | false | null;
  resumed?: boolean;
  session?: Buffer;
  data: string;
  error?: string;
}

/**
 * Connects to `127.0.0.1:port`, completes a handshake (certificate checks off unless `opts` turns them on),
 * reads until the server closes, and reports. Bounded: gives up after 5 s.
 */
export function tlsProbe(port: number, opts: ConnectionOptions = {}): Promise<TlsProbe> {
  return new Promise((resolve) => {
    const result: TlsProbe = { handshake: false, data: '' };
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts });
    const timer = setTimeout(() => socket.destroy(new Error('probe gave up after 5 s')), 5000);
    socket.setEncoding('utf8');
    socket.on('secureConnect', () => {
      const peer = socket.getPeerX509Certificate();
      Object.assign(result, {
        handshake: true,
        commonName: peer?.subject.match(/^CN=(.*)$/m)?.[1],
        serial: peer?.serialNumber,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher()?.name,
        alpn: socket.alpnProtocol,
        resumed: socket.isSessionReused(),
      });
    });
    socket.on('session', (session: Buffer) => {
      result.session = session;
    });
    socket.on('data', (chunk: string) => {
      result.data += chunk;
    });
    socket.on('error', (err) => {
      result.error ??= err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}

/** A TLS server on 127.0.0.1 (port 0) that answers every connection with `ok` and closes it. */
export async function startTlsServer(
  options: TlsOptions,
  setup?: (server: TlsServer) => void,
): Promise<{ port: number; server: TlsServer; clientErrors: Error[]; close(): Promise<void> }> {
  const server = createTlsServer(options, (socket) => {
    socket.on('error', () => {});
    socket.end('ok');
  });
  const clientErrors: Error[] = [];
  server.on('tlsClientError', (err) => clientErrors.push(err));
  setup?.(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, server, clientErrors, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
