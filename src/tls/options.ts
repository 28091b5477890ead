import { createHash, constants as cryptoConstants } from 'node:crypto';
import {
  createSecureContext,
  DEFAULT_CIPHERS,
  getCiphers,
  type SecureContextOptions,
  type SecureVersion,
} from 'node:tls';
import { SwitchyardError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { type ClientAuthConfig, type ClientCertificateCheck, resolveClientAuth } from './client-auth.js';
import {
  CIPHER_SUITES,
  type ClientAuthType,
  CURVE_DISPLAY_NAMES,
  CURVES,
  IGNORED_CIPHER_SUITES,
  TLS_VERSIONS,
  TLS13_SUITES,
  VERSION_RANK,
} from './go-names.js';

/** Traefik's `tls.options.<name>`, as plain data (the dynamic-config schema validates its shape). */
export interface TlsOptionsConfig {
  minVersion?: string;
  maxVersion?: string;
  cipherSuites?: string[];
  curvePreferences?: string[];
  sniStrict?: boolean;
  alpnProtocols?: string[];
  clientAuth?: ClientAuthConfig;
  disableSessionTickets?: boolean;
  /** Deprecated in Traefik and ignored by Go; accepted and ignored. */
  preferServerCipherSuites?: boolean;
}

/** TLS options translated to Node, validated, ready for a `TlsTerminator` (see `TlsChoice`). */
export interface ResolvedTlsOptions {
  /** Baked into every SecureContext: pass to `buildCertificateStore({ contextOptions })`. Frozen. */
  contextOptions: Readonly<SecureContextOptions>;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  clientAuthType: ClientAuthType;
  alpnProtocols: string[];
  sniStrict: boolean;
  /**
   * Set for RequireAnyClientCert and VerifyClientCertIfGiven, which Node cannot enforce during the handshake:
   * install it with `enforceClientAuth(server, checkClient)`, or run it on each new TLS socket yourself and
   * destroy the socket when it returns an error.
   */
  checkClient: ClientCertificateCheck | undefined;
  /** Settings accepted but changed (e.g. an ALPN protocol Switchyard does not serve yet). */
  warnings: string[];
}

/** ALPN protocols Switchyard's HTTPS entrypoints serve, in Traefik's order of preference. */
export const SERVED_ALPN_PROTOCOLS: readonly string[] = ['h2', 'http/1.1'];

// Reserved for the ACME TLS-ALPN-01 challenge, which the ACME resolver answers itself (as in Traefik).
const ACME_TLS_ALPN = 'acme-tls/1';
const DEFAULT_MIN_VERSION: SecureVersion = 'TLSv1.2';
const availableCiphers = new Set(getCiphers());
const curveSupport = new Map<string, boolean>();

/**
 * Translates Traefik TLS options to Node TLS settings. All problems are reported together.
 *
 * @throws SwitchyardError `CONFIG_INVALID`: unknown version/cipher/curve/clientAuthType, min > max, a cipher
 *   or curve this Node build lacks, an unreadable CA file, a verifying clientAuthType without caFiles.
 * @example
 *   const resolved = resolveTlsOptions({ minVersion: 'VersionTLS13', sniStrict: true }, { name: 'modern' });
 */
export function resolveTlsOptions(
  config: TlsOptionsConfig = {},
  opts: { name?: string; servedAlpn?: readonly string[] } = {},
): ResolvedTlsOptions {
  const problems: string[] = [];
  const warnings: string[] = [];
  const minVersion = version('minVersion', config.minVersion, problems) ?? DEFAULT_MIN_VERSION;
  const maxVersion = version('maxVersion', config.maxVersion, problems);
  if (maxVersion && VERSION_RANK[minVersion]! > VERSION_RANK[maxVersion]!) {
    problems.push(
      `minVersion ${config.minVersion ?? 'VersionTLS12'} is above maxVersion ${config.maxVersion}`,
    );
  }
  const contextOptions: SecureContextOptions = { minVersion, honorCipherOrder: true };
  if (maxVersion) contextOptions.maxVersion = maxVersion;
  const ciphers = cipherList(config.cipherSuites, problems);
  // OpenSSL 3 refuses TLS 1.0/1.1 handshakes at its default security level; allowing the versions without
  // lowering it would make the setting silently ineffective.
  const legacy = VERSION_RANK[minVersion]! < VERSION_RANK['TLSv1.2']!;
  if (ciphers || legacy) {
    contextOptions.ciphers = `${ciphers ?? DEFAULT_CIPHERS}${legacy ? ':@SECLEVEL=0' : ''}`;
  }
  const curves = curveList(config.curvePreferences, problems);
  if (curves) contextOptions.ecdhCurve = curves;
  if (config.disableSessionTickets) contextOptions.secureOptions = cryptoConstants.SSL_OP_NO_TICKET;

  const auth = resolveClientAuth(config.clientAuth, problems);
  if (auth.ca) contextOptions.ca = auth.ca;
  // Sessions resume only under the option set that created them: a session admitted under lax client
  // authentication must not resume on a server that requires more.
  contextOptions.sessionIdContext = createHash('sha256')
    .update(JSON.stringify([opts.name, config]))
    .digest('hex')
    .slice(0, 32);
  const alpnProtocols = alpn(config.alpnProtocols, opts.servedAlpn ?? SERVED_ALPN_PROTOCOLS, warnings);

  if (problems.length > 0) {
    const where = opts.name === undefined ? 'tls options' : `tls.options.${opts.name}`;
    throw new SwitchyardError('CONFIG_INVALID', `${where}: ${problems.join('; ')}`);
  }
  return {
    contextOptions: Object.freeze(contextOptions),
    requestCert: auth.requestCert,
    rejectUnauthorized: auth.rejectUnauthorized,
    clientAuthType: auth.type,
    alpnProtocols,
    sniStrict: config.sniStrict === true,
    checkClient: auth.check,
    warnings,
  };
}

function version(key: string, value: string | undefined, problems: string[]): SecureVersion | undefined {
  if (value === undefined || value === '') return undefined;
  const mapped = TLS_VERSIONS.get(value);
  if (!mapped)
    problems.push(`${key}: unknown TLS version "${value}"${didYouMean(value, TLS_VERSIONS.keys())}`);
  return mapped;
}

function cipherList(names: string[] | undefined, problems: string[]): string | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const mapped: string[] = [];
  for (const name of names) {
    if (IGNORED_CIPHER_SUITES.has(name)) continue;
    const openssl = CIPHER_SUITES.get(name);
    if (!openssl) {
      const known = [...CIPHER_SUITES.keys(), ...IGNORED_CIPHER_SUITES];
      problems.push(`cipherSuites: unknown cipher suite "${name}"${didYouMean(name, known)}`);
    } else if (!availableCiphers.has(openssl.toLowerCase())) {
      problems.push(
        `cipherSuites: ${name} is not available in this Node.js build (OpenSSL ${opensslVersion()})`,
      );
    } else if (!mapped.includes(openssl)) {
      mapped.push(openssl);
    }
  }
  // Like Go, the list only governs TLS 1.0–1.2: TLS 1.3 suites stay enabled (Node would otherwise cap the
  // connection at TLS 1.2 when only 1.2 suites are named).
  return [TLS13_SUITES, ...mapped].join(':');
}

function curveList(names: string[] | undefined, problems: string[]): string | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const groups: string[] = [];
  for (const name of names) {
    const group = CURVES.get(name.toLowerCase());
    if (!group) {
      problems.push(`curvePreferences: unknown curve "${name}"${didYouMean(name, CURVE_DISPLAY_NAMES)}`);
    } else if (!curveSupported(group)) {
      problems.push(
        `curvePreferences: ${name} is not supported by this Node.js build (OpenSSL ${opensslVersion()})`,
      );
    } else if (!groups.includes(group)) {
      groups.push(group);
    }
  }
  return groups.join(':');
}

function curveSupported(group: string): boolean {
  let ok = curveSupport.get(group);
  if (ok === undefined) {
    try {
      createSecureContext({ ecdhCurve: group });
      ok = true;
    } catch {
      ok = false;
    }
    curveSupport.set(group, ok);
  }
  return ok;
}

function alpn(configured: string[] | undefined, served: readonly string[], warnings: string[]): string[] {
  if (configured === undefined || configured.length === 0) return [...served];
  const kept: string[] = [];
  for (const protocol of configured) {
    if (protocol === ACME_TLS_ALPN || kept.includes(protocol)) continue;
    if (served.includes(protocol)) kept.push(protocol);
    else warnings.push(`alpnProtocols: "${protocol}" is not served by Switchyard yet; not advertised`);
  }
  return kept.length > 0 ? kept : [...served];
}

function opensslVersion(): string {
  return process.versions.openssl ?? 'unknown';
}
