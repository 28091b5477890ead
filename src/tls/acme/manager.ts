import { X509Certificate } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { StoredCertificate } from './acme-json.js';
import { type ChallengeRoute, httpChallengeRoutes, type ObtainedCertificate } from './challenge-routes.js';
import { dnsProvider } from './dns-providers.js';
import { type AcmeSharedStorageConfig, openAcmeStore } from './open-store.js';
import { type AcmeKeyType, AcmeResolver, setCaRequestTimeout } from './resolver.js';
import type { AcmeStore, ChallengeListener } from './store-contract.js';

/** The part of `certificatesResolvers.<name>.acme` the manager uses (static configuration, normalised). */
export interface AcmeResolverSection {
  email?: string;
  caServer: string;
  storage: string;
  keyType: string;
  certificatesDuration: number;
  preferredChain?: string;
  eab?: { kid: string; hmacEncoded: string };
  httpChallenge?: { entryPoint: string };
  tlsChallenge?: object;
  dnsChallenge?: { provider: string };
  sharedStorage?: AcmeSharedStorageConfig;
  /** Milliseconds; 0 means none. */
  clientTimeout?: number;
}

/** A certificate wanted by a router (see `AcmeRequest` in the graph). */
export interface WantedCertificate {
  resolver: string;
  router: string;
  main: string;
  sans: string[];
}

const HOUR_MS = 3_600_000;
const RETRY_MIN_MS = 30_000;
const RETRY_MAX_MS = 6 * HOUR_MS;
/** When another instance holds the lock of an order: look again this soon (it may have died). */
const LOCKED_RETRY_MS = 3_000;

/**
 * How long before expiry a certificate is renewed, from `certificatesDuration` (hours), as Traefik: 4
 * months for a year or more, 30 days for 90 days or more, 1 day for 7 days or more, 6 hours for a day or
 * more, else 20 minutes.
 */
export function renewBeforeMs(durationHours: number): number {
  if (durationHours >= 365 * 24) return 4 * 30 * 24 * HOUR_MS;
  if (durationHours >= 90 * 24) return 30 * 24 * HOUR_MS;
  if (durationHours >= 7 * 24) return 24 * HOUR_MS;
  if (durationHours >= 24) return 6 * HOUR_MS;
  return 20 * 60_000;
}

/**
 * The ACME resolvers of the static configuration: answers HTTP-01 challenges, orders the certificates the
 * routers want (once; again ahead of expiry; after a failure with a growing delay), and lists the stored
 * certificates for the TLS generation. `onCertificate` runs after each new certificate is stored.
 */
export class AcmeManager {
  private readonly resolvers = new Map<
    string,
    { resolver: AcmeResolver; section: AcmeResolverSection; storage: AcmeStore }
  >();
  private readonly storages = new Map<string, AcmeStore>();
  private readonly failures = new Map<string, { attempts: number; next: number }>();
  private readonly running = new Set<string>();
  private wanted: WantedCertificate[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(
    sections: Record<string, { acme?: AcmeResolverSection }>,
    private readonly logger: Logger,
    private readonly onCertificate: () => void,
  ) {
    for (const [name, section] of Object.entries(sections)) {
      const acme = section.acme;
      if (!acme) continue;
      const challenges: ('http-01' | 'tls-alpn-01' | 'dns-01')[] = [];
      if (acme.httpChallenge) challenges.push('http-01');
      if (acme.tlsChallenge) challenges.push('tls-alpn-01');
      if (acme.dnsChallenge) challenges.push('dns-01');
      if (challenges.length === 0) {
        logger.warn('ACME resolver without httpChallenge, tlsChallenge or dnsChallenge; skipped', {
          resolver: name,
        });
        continue;
      }
      try {
        const known = this.storages.size;
        const storage = openAcmeStore(acme, this.storages, logger);
        // Another instance stored a certificate (or the store was read): serve it, order what is missing.
        if (this.storages.size > known) storage.onChange(() => this.changed());
        const dns = acme.dnsChallenge ? dnsProvider(acme.dnsChallenge.provider) : undefined;
        if (acme.clientTimeout) setCaRequestTimeout(acme.clientTimeout);
        const resolver = new AcmeResolver({
          name,
          email: acme.email ?? '',
          caServer: acme.caServer,
          keyType: acme.keyType as AcmeKeyType,
          ...(acme.preferredChain ? { preferredChain: acme.preferredChain } : {}),
          ...(acme.eab ? { eab: acme.eab } : {}),
          storage,
          logger,
          challenges,
          ...(dns ? { dns } : {}),
        });
        this.resolvers.set(name, { resolver, section: acme, storage });
      } catch (err) {
        logger.error('ACME resolver disabled', { resolver: name, error: errorMessage(err) });
      }
    }
  }

  get enabled(): boolean {
    return this.resolvers.size > 0;
  }

  /** Entrypoints that must answer HTTP-01 challenges, with the handler for the challenge path. */
  challengeRoutes(): ChallengeRoute[] {
    return httpChallengeRoutes(
      [...this.resolvers.values()].map((r) => r.section),
      (token) => this.httpAnswer(token),
    );
  }

  /** The key authorization for an HTTP-01 token, whichever resolver (and instance) ordered it. */
  async httpAnswer(token: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
    for (const { resolver } of this.resolvers.values()) {
      const answer = await resolver.httpChallenge(token).catch(() => undefined);
      if (answer) return answer;
    }
    return undefined;
  }

  /** Follows the challenge answers of every store (worker processes get the TLS-ALPN-01 ones pushed). */
  onChallenge(listener: ChallengeListener): void {
    for (const storage of this.storages.values()) storage.onChallenge(listener);
  }

  /** The TLS-ALPN-01 challenge certificate for a name some resolver is validating (for `TlsRouting`). */
  alpnChallenge(serverName: string): SecureContext | undefined {
    for (const { resolver } of this.resolvers.values()) {
      const context = resolver.alpnChallenge(serverName);
      if (context) return context;
    }
    return undefined;
  }

  /** Stored certificates of every resolver, as `tls.certificates` entries (inline PEM). */
  certificates(): { certFile: string; keyFile: string }[] {
    return this.obtained().map(({ certFile, keyFile }) => ({ certFile, keyFile }));
  }

  /** Stored certificates with their resolver and names (what worker processes serve and look up). */
  obtained(): ObtainedCertificate[] {
    const out: ObtainedCertificate[] = [];
    for (const [name, { resolver }] of this.resolvers) {
      for (const c of resolver.stored())
        out.push({ resolver: name, main: c.main, sans: c.sans, certFile: c.certificate, keyFile: c.key });
    }
    return out;
  }

  /** The stored certificate of `resolver` whose main name is `main` and that covers `sans`, inline PEM. */
  find(resolver: string, main: string, sans: string[]): { certFile: string; keyFile: string } | undefined {
    const found = this.resolvers
      .get(resolver)
      ?.resolver.stored()
      .find((c) => covers(c, { resolver, router: '', main, sans }));
    return found && { certFile: found.certificate, keyFile: found.key };
  }

  /** Sets what the routers want (each generation) and orders what is missing or due for renewal. */
  want(wanted: WantedCertificate[]): void {
    this.wanted = wanted;
    this.orderDue();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const storage of this.storages.values()) void storage.close().catch(() => undefined);
  }

  private changed(): void {
    if (this.closed) return;
    this.onCertificate();
    this.orderDue();
  }

  private orderDue(): void {
    if (this.closed) return;
    const now = Date.now();
    let nextCheck = now + HOUR_MS;
    for (const w of this.wanted) {
      const entry = this.resolvers.get(w.resolver);
      if (!entry) {
        this.logger.error(
          `router ${w.router}: certificate resolver "${w.resolver}" does not exist or is disabled`,
        );
        continue;
      }
      if (!entry.section.dnsChallenge && [w.main, ...w.sans].some((n) => n.startsWith('*.'))) {
        this.logger.error(
          `router ${w.router}: wildcard names need the dnsChallenge of resolver "${w.resolver}"`,
        );
        continue;
      }
      const key = `${w.resolver}\0${w.main}\0${w.sans.join(',')}`;
      if (this.running.has(key) || entry.storage.loaded === false) continue;
      const failure = this.failures.get(key);
      if (failure && failure.next > now) {
        nextCheck = Math.min(nextCheck, failure.next);
        continue;
      }
      const renewAt = this.renewAt(w);
      if (renewAt > now) {
        nextCheck = Math.min(nextCheck, renewAt);
        continue;
      }
      this.running.add(key);
      // One instance orders (the lock); the others see its certificate arrive through the store.
      const lockName = `${w.resolver}/${w.main}`;
      entry.storage
        .exclusive(lockName, async () => {
          if (this.renewAt(w) > Date.now()) return false;
          await entry.resolver.obtain(w);
          return true;
        })
        .then(
          (outcome) => {
            this.running.delete(key);
            if (!outcome.done) {
              this.logger.debug('another instance is ordering this certificate', { domains: w.main });
              this.schedule(Date.now() + LOCKED_RETRY_MS, true);
              return;
            }
            this.failures.delete(key);
            if (outcome.value && !this.closed) this.onCertificate();
          },
          (err) => {
            this.running.delete(key);
            // Obtained but not written: it is served from memory and the write is retried.
            if ((err as { code?: string }).code === 'PROVIDER_READ' && !this.closed) this.onCertificate();
            const attempts = (this.failures.get(key)?.attempts ?? 0) + 1;
            const delay = Math.min(RETRY_MIN_MS * 2 ** (attempts - 1), RETRY_MAX_MS);
            this.failures.set(key, { attempts, next: Date.now() + delay });
            this.logger.error('ACME certificate not obtained; retrying later', {
              resolver: w.resolver,
              domains: [w.main, ...w.sans].join(','),
              retryInMs: delay,
              error: errorMessage(err),
            });
            this.schedule(Date.now() + delay, true);
          },
        );
    }
    this.schedule(nextCheck);
  }

  /** When the certificate `w` wants is due: now when there is none, else ahead of its expiry. */
  private renewAt(w: WantedCertificate): number {
    const entry = this.resolvers.get(w.resolver);
    const current = entry?.resolver.stored().find((c) => covers(c, w));
    if (!entry || !current) return 0;
    return expiry(current) - renewBeforeMs(entry.section.certificatesDuration);
  }

  /** Next look at what is due: at `at`, or earlier if a look is already planned (`keepEarlier`). */
  private schedule(at: number, keepEarlier = false): void {
    if (this.closed || (keepEarlier && this.timerAt <= at)) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timerAt = Number.POSITIVE_INFINITY;
        this.orderDue();
      },
      Math.max(0, at - Date.now()),
    );
    this.timer.unref();
  }
}

function covers(c: StoredCertificate, w: WantedCertificate): boolean {
  return c.main === w.main && w.sans.every((s) => c.sans.includes(s));
}

function expiry(c: StoredCertificate): number {
  try {
    return Date.parse(new X509Certificate(c.certificate).validTo);
  } catch {
    return 0;
  }
}
