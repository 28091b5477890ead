import type { SecureVersion } from 'node:tls';

/**
 * Traefik's TLS option values are Go `crypto/tls` names; Node speaks OpenSSL. These tables translate the
 * names Traefik accepts. Built once at module load; lookups are by exact key (versions, cipher suites) or
 * lower-cased key (curves, which Traefik also accepts in several spellings).
 */

/** `VersionTLS1x` → Node's `minVersion`/`maxVersion` value. */
export const TLS_VERSIONS: ReadonlyMap<string, SecureVersion> = new Map<string, SecureVersion>([
  ['VersionTLS10', 'TLSv1'],
  ['VersionTLS11', 'TLSv1.1'],
  ['VersionTLS12', 'TLSv1.2'],
  ['VersionTLS13', 'TLSv1.3'],
]);

/** Ordering of Node's version strings, to check min ≤ max. */
export const VERSION_RANK: Readonly<Record<string, number>> = {
  TLSv1: 10,
  'TLSv1.1': 11,
  'TLSv1.2': 12,
  'TLSv1.3': 13,
};

/**
 * IANA/Go cipher suite name → OpenSSL name, for TLS 1.0–1.2. Go also accepts the CHACHA20 names without the
 * `_SHA256` suffix. Suites OpenSSL 3 has dropped (RC4, 3DES) are listed so the error can say "not available"
 * rather than "unknown".
 */
export const CIPHER_SUITES: ReadonlyMap<string, string> = new Map([
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA'],
  ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
  ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA'],
  ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-RSA-DES-CBC3-SHA'],
  ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'ECDHE-ECDSA-RC4-SHA'],
  ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'ECDHE-RSA-RC4-SHA'],
  ['TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA'],
]);

/**
 * Names Go accepts but which configure nothing: the TLS 1.3 suites (always all enabled, as in Go) and the
 * fallback signalling value. Accepted for compatibility and ignored.
 */
export const IGNORED_CIPHER_SUITES: ReadonlySet<string> = new Set([
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_FALLBACK_SCSV',
]);

/** The TLS 1.3 suites, always enabled (Go does not let them be configured either). */
export const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

/** `curvePreferences` value (lower-cased) → OpenSSL group name for `ecdhCurve`. */
export const CURVES: ReadonlyMap<string, string> = new Map([
  ['curvep256', 'P-256'],
  ['secp256r1', 'P-256'],
  ['p-256', 'P-256'],
  ['curvep384', 'P-384'],
  ['secp384r1', 'P-384'],
  ['p-384', 'P-384'],
  ['curvep521', 'P-521'],
  ['secp521r1', 'P-521'],
  ['p-521', 'P-521'],
  ['x25519', 'X25519'],
  ['x25519mlkem768', 'X25519MLKEM768'],
  ['secp256r1mlkem768', 'SecP256r1MLKEM768'],
  ['secp384r1mlkem1024', 'SecP384r1MLKEM1024'],
]);

/** Go's names for curves, for "did you mean" suggestions. */
export const CURVE_DISPLAY_NAMES = [
  'CurveP256',
  'CurveP384',
  'CurveP521',
  'X25519',
  'X25519MLKEM768',
  'SecP256r1MLKEM768',
  'SecP384r1MLKEM1024',
  'secp256r1',
  'secp384r1',
  'secp521r1',
];

/** Traefik's `clientAuth.clientAuthType` values (Go's `tls.ClientAuthType` names). */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;

/** One of `CLIENT_AUTH_TYPES`. */
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];
