import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type * as AcmeLib from 'acme-client';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { lazyModule } from '../../core/lazy-module.js';
import type { Logger } from '../../core/logger.js';
import type { StoredAccount, StoredCertificate } from './acme-json.js';
import type { DnsProvider } from './dns-providers.js';
import type { AcmeStore } from './store-contract.js';

/** The ACME client library, loaded when a resolver first needs it. */
const acmeLib = lazyModule<typeof AcmeLib>('acme-client');

/** Traefik's `keyType` values (certificate keys); Traefik's default is RSA4096. */
export const ACME_KEY_TYPES = ['EC256', 'EC384', 'RSA2048', 'RSA4096', 'RSA8192'] as const;
export type AcmeKeyType = (typeof ACME_KEY_TYPES)[number];

/** Let's Encrypt production, Traefik's default `caServer`. */
export const LETS_ENCRYPT_DIRECTORY = 'https://acme-v02.api.letsencrypt.org/directory';

/** What one `certificatesResolvers.<name>.acme` section says (the part built so far). */
export interface AcmeResolverConfig {
  /** Resolver name: the key in `acme.json`. */
  name: string;
  email: string;
  caServer?: string;
  keyType?: AcmeKeyType;
  preferredChain?: string;
  eab?: { kid: string; hmacEncoded: string };
  storage: AcmeStore;
  logger: Logger;
  /** Challenges to answer, in order of preference; default HTTP-01 only. */
  challenges?: ('http-01' | 'tls-alpn-01' | 'dns-01')[];
  /** For `dns-01`: publishes the TXT records. */
  dns?: DnsProvider;
}

/** Domains of one certificate: `main` is its CN, `sans` the other names. */
export interface AcmeDomains {
  main: string;
  sans?: string[];
}

let trustedList: string | undefined;

/**
 * Trust the CA certificates named by `LEGO_CA_CERTIFICATES` (paths separated by `:` or `,`) for talking to
 * the ACME server, as Traefik (through lego) does: the way to use a private CA or a test CA like pebble.
 */
function installCaTrust(): void {
  const list = process.env.LEGO_CA_CERTIFICATES;
  if (!list || list === trustedList) return;
  trustedList = list;
  const ca = list
    .split(/[:,]/)
    .filter((p) => p.trim() !== '')
    .map((p) => readFileSync(p.trim(), 'utf8'));
  acmeLib().axios.defaults.httpsAgent = new https.Agent({ ca, keepAlive: true });
}

/**
 * `clientTimeout` of the requests to the CA (the client library's setting is process-wide: the smallest
 * of the resolvers applies), so a CA that stops answering fails the order, which is then retried.
 */
export function setCaRequestTimeout(ms: number): void {
  const current = acmeLib().axios.defaults.timeout;
  if (ms > 0 && (!current || ms < current)) acmeLib().axios.defaults.timeout = ms;
}

async function certificateKey(keyType: AcmeKeyType): Promise<Buffer> {
  switch (keyType) {
    case 'EC256':
      return acmeLib().crypto.createPrivateEcdsaKey('P-256');
    case 'EC384':
      return acmeLib().crypto.createPrivateEcdsaKey('P-384');
    case 'RSA2048':
      return acmeLib().crypto.createPrivateRsaKey(2048);
    case 'RSA8192':
      return acmeLib().crypto.createPrivateRsaKey(8192);
    default:
      return acmeLib().crypto.createPrivateRsaKey(4096);
  }
}

/**
 * One ACME certificate resolver: an account (reused from storage, registered on first use), and
 * certificates obtained with the HTTP-01 challenge, stored in `acme.json`. The ACME protocol itself
 * (JWS, nonces with `badNonce` retry, polling) is the `acme-client` library's.
 *
 * The resolver answers HTTP-01 challenges through `httpChallenge(token)`: the entrypoint named by
 * `httpChallenge.entryPoint` must route `/.well-known/acme-challenge/<token>` to it.
 */
export class AcmeResolver {
  /** TLS-ALPN-01 certificates by the stored answer they were made from. */
  private readonly alpn = new Map<string, SecureContext>();
  private client: AcmeLib.Client | undefined;
  private readonly inFlight = new Map<string, Promise<StoredCertificate>>();

  constructor(private readonly config: AcmeResolverConfig) {
    installCaTrust();
  }

  /**
   * The key authorization to answer for an HTTP-01 token (of an order of this instance or, with shared
   * storage, of another one), or undefined for an unknown token.
   */
  httpChallenge(token: string): Promise<string | undefined> {
    return this.config.storage.freshChallenge('http', token);
  }

  /** The TLS-ALPN-01 challenge certificate for a server name being validated, or undefined. */
  alpnChallenge(serverName: string): SecureContext | undefined {
    const stored = this.config.storage.challenge('alpn', serverName.toLowerCase());
    if (!stored) return undefined;
    let context = this.alpn.get(stored);
    if (!context) {
      try {
        const { cert, key } = JSON.parse(stored) as { cert: string; key: string };
        context = createSecureContext({ cert, key });
      } catch {
        return undefined;
      }
      this.alpn.clear();
      this.alpn.set(stored, context);
    }
    return context;
  }

  /** Certificates this resolver has in storage. */
  stored(): StoredCertificate[] {
    return this.config.storage.certificates(this.config.name);
  }

  /**
   * Obtains a certificate for `domains` from the CA and stores it. Concurrent calls for the same main
   * domain share one order.
   *
   * @throws SwitchyardError `UPSTREAM_FAILED` when the CA refuses or cannot be reached; `PROVIDER_READ`
   *   when the storage cannot be written (the certificate is still returned to nobody: retry later).
   */
  obtain(domains: AcmeDomains): Promise<StoredCertificate> {
    const key = domains.main.toLowerCase();
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.order(domains).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private async order(domains: AcmeDomains): Promise<StoredCertificate> {
    const { logger, storage, name } = this.config;
    const client = await this.account();
    logger.info('ACME order started', {
      resolver: name,
      domains: [domains.main, ...(domains.sans ?? [])].join(','),
    });
    const sans = (domains.sans ?? []).filter((d) => d !== domains.main);
    const [key, csr] = await acmeLib().crypto.createCsr(
      { commonName: domains.main, altNames: [domains.main, ...sans] },
      await certificateKey(this.config.keyType ?? 'RSA4096'),
    );
    let certificate: string;
    try {
      certificate = await client.auto({
        csr,
        email: this.config.email,
        termsOfServiceAgreed: true,
        challengePriority: this.config.challenges ?? ['http-01'],
        // The CA validates; a pre-check from here would need this host to resolve the names like the CA.
        skipChallengeVerification: true,
        ...(this.config.preferredChain ? { preferredChain: this.config.preferredChain } : {}),
        challengeCreateFn: async (authz, challenge, keyAuthorization) => {
          if (challenge.type === 'dns-01') {
            await this.dns().present(`_acme-challenge.${authz.identifier.value}.`, keyAuthorization);
          } else if ((challenge.type as string) === 'tls-alpn-01') {
            const [alpnKey, alpnCert] = await acmeLib().crypto.createAlpnCertificate(authz, keyAuthorization);
            const answer = JSON.stringify({ cert: alpnCert.toString(), key: alpnKey.toString() });
            await storage.putChallenge('alpn', authz.identifier.value.toLowerCase(), answer);
          } else {
            await storage.putChallenge('http', challenge.token, keyAuthorization);
          }
        },
        challengeRemoveFn: async (authz, challenge, keyAuthorization) => {
          if (challenge.type === 'dns-01')
            await this.dns().cleanup(`_acme-challenge.${authz.identifier.value}.`, keyAuthorization);
          else if ((challenge.type as string) === 'tls-alpn-01')
            await storage.deleteChallenge('alpn', authz.identifier.value.toLowerCase());
          else await storage.deleteChallenge('http', challenge.token);
        },
      });
    } catch (err) {
      throw new SwitchyardError(
        'UPSTREAM_FAILED',
        `ACME resolver ${name}: certificate for ${[domains.main, ...sans].join(', ')}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    const stored: StoredCertificate = {
      main: domains.main,
      sans,
      certificate,
      key: key.toString(),
      store: 'default',
    };
    await this.save(() => storage.saveCertificate(name, stored));
    logger.info('ACME certificate obtained', { resolver: name, domains: [domains.main, ...sans].join(',') });
    return stored;
  }

  /** A failed write is logged; what it held stays in memory (served, written with the next change). */
  private async save(write: () => void | Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.config.logger.error('ACME storage cannot be written; kept in memory and served', {
        resolver: this.config.name,
        error: errorMessage(err),
      });
    }
  }

  private dns(): DnsProvider {
    if (!this.config.dns)
      throw new SwitchyardError('CONFIG_INVALID', 'dns-01 challenge without a DNS provider');
    return this.config.dns;
  }

  /** The ACME client with the stored account, registering (and storing) one on first use. */
  private async account(): Promise<AcmeLib.Client> {
    if (this.client) return this.client;
    const { storage, name, email } = this.config;
    const directoryUrl = this.config.caServer || LETS_ENCRYPT_DIRECTORY;
    const known = storage.account(name);
    const eab = this.config.eab
      ? { externalAccountBinding: { kid: this.config.eab.kid, hmacKey: this.config.eab.hmacEncoded } }
      : {};
    if (known?.url) {
      this.client = new (acmeLib().Client)({
        directoryUrl,
        accountKey: known.keyPem,
        accountUrl: known.url,
        ...eab,
      });
      return this.client;
    }
    // Traefik's account keys are RSA 4096; the same is stored so Traefik can read the file back.
    const keyPem = known?.keyPem ?? (await acmeLib().crypto.createPrivateRsaKey(4096)).toString();
    const client = new (acmeLib().Client)({ directoryUrl, accountKey: keyPem, ...eab });
    let registration: Record<string, unknown>;
    try {
      const created = await client.createAccount({
        termsOfServiceAgreed: true,
        ...(email ? { contact: [`mailto:${email}`] } : {}),
      });
      registration = { ...created } as Record<string, unknown>;
    } catch (err) {
      throw new SwitchyardError(
        'UPSTREAM_FAILED',
        `ACME resolver ${name}: account registration: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
    const account: StoredAccount = { email, url: client.getAccountUrl(), keyPem, registration };
    await this.save(() => storage.saveAccount(name, account));
    this.config.logger.info('ACME account registered', { resolver: name, account: account.url });
    this.client = client;
    return client;
  }
}
