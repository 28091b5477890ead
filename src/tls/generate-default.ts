import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  bitString,
  bool,
  context,
  octetString,
  oid,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';
import type { CertPair } from './load.js';

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
 * is generated in milliseconds instead of a noticeable pause at startup. The certificate is encoded with
 * `node:crypto` and a few DER helpers: a certificate library would cost about 20 MiB of memory at every start.
 *
 * @example
 *   const generatedDefault = await generateDefaultCertificate();
 *   buildCertificateStore({ certificates, generatedDefault });
 */
export async function generateDefaultCertificate(
  opts: { validDays?: number; now?: Date } = {},
): Promise<CertPair> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const random = randomBytes(32).toString('hex');
  const notBefore = opts.now ?? new Date();
  const notAfter = new Date(notBefore.getTime() + (opts.validDays ?? 365) * DAY_MS);
  const name = sequence(
    set(sequence(oid(OID.commonName), utf8String(DEFAULT_CERT_COMMON_NAME))),
    set(sequence(oid(OID.organization), utf8String(DEFAULT_CERT_ORGANIZATION))),
  );
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const extension = (id: string, critical: boolean, value: Buffer) =>
    sequence(oid(id), ...(critical ? [bool(true)] : []), octetString(value));
  const tbs = sequence(
    context(0, unsignedInteger(Buffer.from([2]))), // v3
    // A positive 128-bit serial: the leading 01 byte keeps the DER integer from reading as negative.
    unsignedInteger(Buffer.concat([Buffer.from([1]), randomBytes(15)])),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    context(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence()), // cA: false (the default, so absent)
        extension(OID.keyUsage, true, Buffer.from([0x03, 0x02, 0x07, 0x80])), // digitalSignature
        extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
        extension(
          OID.subjectAltName,
          false,
          sequence(
            context(2, Buffer.from(`${random.slice(0, 32)}.${random.slice(32)}.traefik.default`), false),
          ),
        ),
      ),
    ),
  );
  // ECDSA signatures from node:crypto are DER (r, s) sequences, the form X.509 wants.
  const der = sequence(tbs, signatureAlgorithm, bitString(sign('sha256', tbs, privateKey)));
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};
