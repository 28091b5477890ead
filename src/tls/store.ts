import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import {
  type CertificateSource,
  type CertPair,
  describeSource,
  type LoadedCertificate,
  loadCertificate,
  normaliseName,
  parseCertificatePair,
} from './load.js';

/** One entry of Traefik's `tls.certificates`. */
export interface CertificateConfig extends CertificateSource {
  /** Store names; empty or absent means `default`, the only store Traefik (and Switchyard) honours. */
  stores?: string[];
}

/** What `buildCertificateStore` takes: the dynamic `tls` section plus the certificate generated at startup. */
export interface CertificateStoreInput {
  certificates: CertificateConfig[];
  /** `tls.stores.default.defaultCertificate`. */
  defaultCertificate?: CertificateSource;
  /** From `generateDefaultCertificate()`, served when nothing else applies. */
  generatedDefault: CertPair;
  /**
   * Settings baked into every context (client CAs, versions, ciphers, curves): `ResolvedTlsOptions
   * .contextOptions` from `resolveTlsOptions`. Needed because OpenSSL takes the client-CA list from the
   * context chosen by SNI; see `TlsTerminator`.
   */
  contextOptions?: SecureContextOptions;
}

/** A problem with one certificate. `index` points into `certificates`; -1 is the default certificate. */
export interface CertificateIssue {
  index: number;
  error: string;
  /** `error`: the certificate is not served. `warning`: served or skipped on purpose, worth telling. */
  level: 'error' | 'warning';
}

/** One served certificate as the API and metrics list it. */
export interface CertificateInfo {
  names: string[];
  ipAddresses: string[];
  commonName: string | undefined;
  notBefore: Date;
  notAfter: Date;
  serial: string;
  fingerprint: string;
  /** File path, `inline`, or `generated`. */
  source: string;
  role: 'certificate' | 'default' | 'generated-default';
  /** Position in `tls.certificates` (role `certificate` only). */
  index?: number;
}

/** The `SNICallback` shape of `tls.createServer`. */
export type SniCallback = (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void) => void;

/** Certificates indexed by name, with their secure contexts built once. */
export interface CertificateStore {
  /** Exact name, then wildcard (one label), then the configured default, then the generated default. */
  select(serverName: string | undefined): SecureContext;
  /** Exact name or wildcard only; `undefined` when no certificate names the server (used by sniStrict). */
  match(serverName: string | undefined): SecureContext | undefined;
  /** The context served for unknown names: configured default, else generated default. */
  readonly defaultContext: SecureContext;
  /**
   * PEM of that default certificate. `tls.Server` ignores a `secureContext` option and builds its own context
   * from `cert`/`key` (used when the client sends no SNI), so servers need the PEM, not the context.
   */
  readonly defaultPair: CertPair;
  /** For `tls.createServer({ SNICallback })`: never fails, falls back like `select`. */
  readonly sniCallback: SniCallback;
  /** For sniStrict: fails the handshake when no certificate names the server. */
  readonly strictSniCallback: SniCallback;
  /** The contextOptions every context was built with (`TlsTerminator` checks it is the options' own). */
  readonly contextOptions: SecureContextOptions | undefined;
  /** Every certificate served, certificates first, then the default in use. */
  certificates(): readonly CertificateInfo[];
}

/** Certificates loaded from files/PEM and checked, before any secure context exists. */
export interface LoadedCertificateSet {
  certificates: { index: number; certificate: LoadedCertificate }[];
  defaultCertificate: LoadedCertificate | undefined;
  generatedDefault: LoadedCertificate;
}

const DEFAULT_STORE = 'default';

/**
 * Reads and checks every certificate (file I/O, synchronous: certificate files are small and this runs once
 * per configuration, not per connection). A broken certificate is left out with its error.
 */
export function loadCertificateSet(input: Omit<CertificateStoreInput, 'contextOptions'>): {
  set: LoadedCertificateSet;
  errors: CertificateIssue[];
} {
  const errors: CertificateIssue[] = [];
  const certificates: LoadedCertificateSet['certificates'] = [];
  input.certificates.forEach((config, index) => {
    const stores = config.stores ?? [];
    if (stores.length > 0 && !stores.includes(DEFAULT_STORE)) {
      const error = `certificate ${describeSource(config.certFile)}: stores [${stores.join(', ')}] do not include "default", the only store honoured; skipped`;
      errors.push({ index, error, level: 'warning' });
      return;
    }
    try {
      const certificate = loadCertificate(config);
      certificates.push({ index, certificate });
      if (certificate.notAfter.getTime() < Date.now()) {
        const error = `certificate ${certificate.source}: expired on ${certificate.notAfter.toISOString()}`;
        errors.push({ index, error, level: 'warning' });
      }
    } catch (err) {
      errors.push({ index, error: errorMessage(err), level: 'error' });
    }
  });
  let defaultCertificate: LoadedCertificate | undefined;
  if (input.defaultCertificate) {
    try {
      defaultCertificate = loadCertificate(input.defaultCertificate);
    } catch (err) {
      errors.push({ index: -1, error: `default ${errorMessage(err)}`, level: 'error' });
    }
  }
  const generatedDefault = parseCertificatePair(input.generatedDefault, 'generated');
  return { set: { certificates, defaultCertificate, generatedDefault }, errors };
}

/**
 * Builds the store from loaded certificates: one `SecureContext` per certificate, created here and never per
 * handshake; names go into two maps (exact, and wildcard keyed by the parent domain). When two certificates
 * claim the same name, the first listed wins.
 */
export function createCertificateStore(
  set: LoadedCertificateSet,
  contextOptions?: SecureContextOptions,
): { store: CertificateStore; errors: CertificateIssue[] } {
  const errors: CertificateIssue[] = [];
  const exact = new Map<string, SecureContext>();
  const wildcard = new Map<string, SecureContext>();
  const listing: CertificateInfo[] = [];
  const contextFor = (c: LoadedCertificate): SecureContext =>
    createSecureContext({ ...contextOptions, cert: c.cert, key: c.key });

  for (const { index, certificate } of set.certificates) {
    let context: SecureContext;
    try {
      context = contextFor(certificate);
    } catch (err) {
      errors.push({
        index,
        error: `certificate ${certificate.source}: ${errorMessage(err)}`,
        level: 'error',
      });
      continue;
    }
    const names = [...certificate.names, ...certificate.ipAddresses];
    let added = 0;
    for (const name of names) {
      const [map, key] = name.startsWith('*.') ? [wildcard, name.slice(2)] : [exact, name];
      if (map.has(key)) continue;
      map.set(key, context);
      added++;
    }
    if (added === 0) {
      const why =
        names.length === 0
          ? 'names no host, so it is never selected'
          : 'every name it has is served by an earlier certificate';
      errors.push({ index, error: `certificate ${certificate.source}: ${why}`, level: 'warning' });
    }
    listing.push(info(certificate, 'certificate', index));
  }

  let defaultContext: SecureContext | undefined;
  let defaultPair: CertPair = set.generatedDefault;
  if (set.defaultCertificate) {
    try {
      defaultContext = contextFor(set.defaultCertificate);
      defaultPair = set.defaultCertificate;
      listing.push(info(set.defaultCertificate, 'default'));
    } catch (err) {
      errors.push({ index: -1, error: `default certificate: ${errorMessage(err)}`, level: 'error' });
    }
  }
  if (!defaultContext) {
    defaultContext = contextFor(set.generatedDefault);
    listing.push(info(set.generatedDefault, 'generated-default'));
  }
  const fallback = defaultContext;

  const match = (serverName: string | undefined): SecureContext | undefined => {
    if (!serverName) return undefined;
    const hit = exact.get(serverName);
    if (hit) return hit;
    const name = normaliseName(serverName);
    if (name !== serverName) {
      const again = exact.get(name);
      if (again) return again;
    }
    const dot = name.indexOf('.');
    return dot > 0 ? wildcard.get(name.slice(dot + 1)) : undefined;
  };
  const select = (serverName: string | undefined): SecureContext => match(serverName) ?? fallback;
  const frozen = Object.freeze(listing);

  const store: CertificateStore = {
    select,
    match,
    defaultContext: fallback,
    defaultPair: { cert: defaultPair.cert, key: defaultPair.key },
    contextOptions,
    sniCallback: (servername, cb) => cb(null, match(servername) ?? fallback),
    strictSniCallback: (servername, cb) => {
      const context = match(servername);
      if (context) cb(null, context);
      else
        cb(
          new SwitchyardError('TLS_CERTIFICATE', `sniStrict: no certificate for server name "${servername}"`),
        );
    },
    certificates: () => frozen,
  };
  return { store, errors };
}

/**
 * Loads the certificates and builds the store in one go. One broken certificate is skipped with its error
 * (`level: 'error'`); the others are served.
 *
 * @example
 *   const { store, errors } = buildCertificateStore({ certificates: cfg.tls.certificates, generatedDefault });
 *   tls.createServer({ ...store.defaultPair, SNICallback: store.sniCallback });
 */
export function buildCertificateStore(input: CertificateStoreInput): {
  store: CertificateStore;
  errors: CertificateIssue[];
} {
  const loaded = loadCertificateSet(input);
  const built = createCertificateStore(loaded.set, input.contextOptions);
  return { store: built.store, errors: [...loaded.errors, ...built.errors] };
}

function info(c: LoadedCertificate, role: CertificateInfo['role'], index?: number): CertificateInfo {
  return Object.freeze({
    names: c.names,
    ipAddresses: c.ipAddresses,
    commonName: c.commonName,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    serial: c.serial,
    fingerprint: c.fingerprint,
    source: c.source,
    role,
    ...(index === undefined ? {} : { index }),
  });
}
