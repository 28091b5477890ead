import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import type { CertPair } from './load.js';
import { loadX509 } from './x509-lib.js';

/**
 * Subject CN of the generated default certificate. Kept identical to Traefik's so that scripts, monitoring
 * probes and tests written against Traefik ("is this the fallback certificate?") keep working; the
 * Switchyard flavour goes into the organisation field instead.
 */
export const DEFAULT_CERT_COMMON_NAME = 'TRAEFIK DEFAULT CERT';

/** Organisation of the generated default certificate. */
export const DEFAULT_CERT_ORGANIZATION = 'Switchyard';

const DAY_MS = 86_400_000;

/**
 * Generates the self-signed certificate served when nothing else matches: `CN=TRAEFIK DEFAULT CERT`,
 * `O=Switchyard`, one random SAN under `traefik.default` (as Traefik does, so no real host ever matches it),
 * valid for `validDays` (default 365) from now. Call once at startup and reuse the result across reloads.
 *
 * Deviation: Traefik uses an RSA-2048 key; we use ECDSA P-256, which every current client supports and which
 * is generated in milliseconds instead of a noticeable pause at startup.
 *
 * @example
 *   const generatedDefault = await generateDefaultCertificate();
 *   buildCertificateStore({ certificates, generatedDefault });
 */
export async function generateDefaultCertificate(
  opts: { validDays?: number; now?: Date } = {},
): Promise<CertPair> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const random = randomBytes(32).toString('hex');
  const notBefore = opts.now ?? new Date();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // A positive 128-bit serial: the leading 01 byte keeps the DER integer from reading as negative.
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: `CN=${DEFAULT_CERT_COMMON_NAME}, O=${DEFAULT_CERT_ORGANIZATION}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (opts.validDays ?? 365) * DAY_MS),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: `${random.slice(0, 32)}.${random.slice(32)}.traefik.default` },
      ]),
    ],
  });
  return {
    cert: `${certificate.toString('pem').trim()}\n`,
    key: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
