import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import type { SecureContext } from 'node:tls';
import { errorMessage } from '../../core/errors.js';
import { type HttpHandler, sendError, sendText } from '../../core/http-context.js';
import type { Logger } from '../../core/logger.js';
import { dnsProvider } from './dns-providers.js';
import { type AcmeKeyType, AcmeResolver } from './resolver.js';
import { AcmeStorage, type StoredCertificate } from './storage.js';

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
}

/** A certificate wanted by a router (see `AcmeRequest` in the graph). */
export interface WantedCertificate {
  resolver: string;
  router: string;
  main: string;
  sans: string[];
}

const HOUR_MS = 3_600_000;
const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';
const RETRY_MIN_MS = 30_000;
const RETRY_MAX_MS = 6 * HOUR_MS;

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
  private readonly resolvers = new Map<string, { resolver: AcmeResolver; section: AcmeResolverSection }>();
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
    const storages = new Map<string, AcmeStorage>();
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
        const path = resolve(acme.storage);
        let storage = storages.get(path);
        if (!storage) {
          storage = new AcmeStorage(path);
          storages.set(path, storage);
        }
        const dns = acme.dnsChallenge ? dnsProvider(acme.dnsChallenge.provider) : undefined;
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
        this.resolvers.set(name, { resolver, section: acme });
      } catch (err) {
        logger.error('ACME resolver disabled', { resolver: name, error: errorMessage(err) });
      }
    }
  }

  get enabled(): boolean {
    return this.resolvers.size > 0;
  }

  /** Entrypoints that must answer HTTP-01 challenges, with the handler for the challenge path. */
  challengeRoutes(): { entryPoint: string; rule: string; handler: HttpHandler }[] {
    const entryPoints = new Set(
      [...this.resolvers.values()].flatMap((r) =>
        r.section.httpChallenge ? [r.section.httpChallenge.entryPoint] : [],
      ),
    );
    const handler: HttpHandler = (ctx) => {
      const token = ctx.path.slice(CHALLENGE_PREFIX.length);
      for (const { resolver } of this.resolvers.values()) {
        const answer = resolver.httpChallenge(token);
        if (answer) {
          sendText(ctx, 200, answer);
          return;
        }
      }
      sendError(ctx, 'NOT_FOUND');
    };
    return [...entryPoints].map((entryPoint) => ({
      entryPoint,
      rule: `PathPrefix(\`${CHALLENGE_PREFIX}\`)`,
      handler,
    }));
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
    const out: { certFile: string; keyFile: string }[] = [];
    for (const { resolver } of this.resolvers.values()) {
      for (const c of resolver.stored()) out.push({ certFile: c.certificate, keyFile: c.key });
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
      if (this.running.has(key)) continue;
      const failure = this.failures.get(key);
      if (failure && failure.next > now) {
        nextCheck = Math.min(nextCheck, failure.next);
        continue;
      }
      const current = entry.resolver.stored().find((c) => covers(c, w));
      const renewAt = current ? expiry(current) - renewBeforeMs(entry.section.certificatesDuration) : now;
      if (renewAt > now) {
        nextCheck = Math.min(nextCheck, renewAt);
        continue;
      }
      this.running.add(key);
      entry.resolver.obtain({ main: w.main, sans: w.sans }).then(
        () => {
          this.running.delete(key);
          this.failures.delete(key);
          if (!this.closed) this.onCertificate();
        },
        (err) => {
          this.running.delete(key);
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
