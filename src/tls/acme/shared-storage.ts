import { errorMessage, SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import {
  decodeAccount,
  decodeCertificate,
  encodeAccount,
  encodeCertificate,
  type StoredAccount,
  type StoredCertificate,
} from './acme-json.js';
import type { KvBackend } from './kv-backend.js';
import type { AcmeStore, ChallengeKind, ChallengeListener } from './store-contract.js';

/** A lock outlives its holder by at most this long (etcd lease, Redis time to live). */
const LOCK_TTL_SECONDS = 10;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
/** How long a TLS-ALPN-01 answer may take to reach the other instances before the CA is told to look. */
const ECHO_WAIT_MS = 2_000;

/**
 * ACME storage shared by every instance through etcd or Redis (a Switchyard extension). Under `root`:
 * `<resolver>/account` and `<resolver>/certificates/<main>` hold Traefik's `acme.json` entries as JSON,
 * `challenges/http/<token>` and `challenges/alpn/<domain>` the answers of orders under way (so any instance
 * answers the CA), `locks/<resolver>/<domain>` the lock of an order. Every instance keeps a copy, updated
 * by a watch, so serving never waits for the store; a write that fails is kept and retried.
 */
export class SharedAcmeStorage implements AcmeStore {
  private readonly entries = new Map<string, string>();
  private readonly listeners: (() => void)[] = [];
  private readonly challengeListeners: ChallengeListener[] = [];
  /** Writes that failed, retried until they succeed (key → value, undefined for a delete). */
  private readonly unsaved = new Map<string, string | undefined>();
  private readonly echoes = new Map<string, () => void>();
  private readonly prefix: string;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private closed = false;
  /** True once the store has been read: before that nothing is ordered (it may already be there). */
  loaded = false;

  constructor(
    private readonly backend: KvBackend,
    root: string,
    private readonly logger: Logger,
  ) {
    this.prefix = `${root.replace(/\/+$/, '')}/`;
    void this.open();
  }

  get description(): string {
    return `${this.backend.description} (${this.prefix})`;
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    try {
      await this.backend.watch(
        this.prefix,
        (key, value) => this.changed(key, value),
        () => void this.reload(),
      );
      await this.reload();
      this.attempts = 0;
    } catch (err) {
      this.retryLater(() => this.open(), 'cannot be read', err);
    }
  }

  private async reload(): Promise<void> {
    const all = await this.backend.list(this.prefix);
    this.entries.clear();
    for (const [k, v] of all) if (!k.startsWith(`${this.prefix}locks/`)) this.entries.set(k, v);
    for (const [k, v] of this.unsaved) this.set(k, v);
    this.loaded = true;
    this.notify();
  }

  private changed(key: string, value: string | undefined): void {
    if (key.startsWith(`${this.prefix}locks/`)) return;
    if (this.unsaved.has(key)) return;
    const before = this.entries.get(key);
    this.set(key, value);
    this.echoes.get(key)?.();
    if (before !== value && !key.startsWith(`${this.prefix}challenges/`)) this.notify();
  }

  private set(key: string, value: string | undefined): void {
    const before = this.entries.get(key);
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, value);
    const challenges = `${this.prefix}challenges/`;
    if (before === value || !key.startsWith(challenges)) return;
    const [kind, ...rest] = key.slice(challenges.length).split('/');
    if (kind !== 'http' && kind !== 'alpn') return;
    for (const l of this.challengeListeners) l(kind, rest.join('/'), value);
  }

  private notify(): void {
    if (this.closed) return;
    for (const l of this.listeners) l();
  }

  private retryLater(action: () => Promise<void>, what: string, err: unknown): void {
    if (this.closed) return;
    this.attempts += 1;
    const delay = Math.min(RETRY_MIN_MS * 2 ** (this.attempts - 1), RETRY_MAX_MS);
    this.logger.error(`ACME storage ${this.description} ${what}; retrying`, {
      retryInMs: delay,
      error: errorMessage(err),
    });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void action(), delay);
    this.retryTimer.unref();
  }

  private parse(key: string): unknown {
    const text = this.entries.get(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      this.logger.warn('ACME storage entry is not JSON; ignored', { key });
      return undefined;
    }
  }

  account(resolver: string): StoredAccount | undefined {
    try {
      return decodeAccount(this.parse(`${this.prefix}${resolver}/account`) as never);
    } catch (err) {
      this.logger.warn('ACME storage: account ignored', { resolver, error: errorMessage(err) });
      return undefined;
    }
  }

  certificates(resolver: string): StoredCertificate[] {
    const dir = `${this.prefix}${resolver}/certificates/`;
    const out: StoredCertificate[] = [];
    for (const key of [...this.entries.keys()].sort()) {
      if (!key.startsWith(dir)) continue;
      const cert = decodeCertificate(this.parse(key) as never);
      if (cert) out.push(cert);
    }
    return out;
  }

  async saveAccount(resolver: string, account: StoredAccount): Promise<void> {
    await this.write(`${this.prefix}${resolver}/account`, JSON.stringify(encodeAccount(account)));
  }

  async saveCertificate(resolver: string, cert: StoredCertificate): Promise<void> {
    const key = `${this.prefix}${resolver}/certificates/${cert.main.toLowerCase()}`;
    await this.write(key, JSON.stringify(encodeCertificate(cert)));
  }

  /** Writes through; on failure keeps the value here (served, retried) and throws `PROVIDER_READ`. */
  private async write(key: string, value: string | undefined): Promise<void> {
    this.set(key, value);
    try {
      if (value === undefined) await this.backend.delete(key);
      else await this.backend.put(key, value);
      this.unsaved.delete(key);
    } catch (err) {
      this.unsaved.set(key, value);
      this.retryLater(() => this.flush(), 'cannot be written', err);
      throw new SwitchyardError(
        'PROVIDER_READ',
        `ACME storage ${this.description} cannot be written: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  private async flush(): Promise<void> {
    try {
      for (const [key, value] of [...this.unsaved]) {
        if (value === undefined) await this.backend.delete(key);
        else await this.backend.put(key, value);
        this.unsaved.delete(key);
      }
      this.attempts = 0;
      this.logger.info('ACME storage written again', { storage: this.description });
    } catch (err) {
      this.retryLater(() => this.flush(), 'cannot be written', err);
    }
  }

  async exclusive<T>(
    name: string,
    fn: () => Promise<T>,
  ): Promise<{ done: true; value: T } | { done: false }> {
    const lock = await this.backend.tryLock(`${this.prefix}locks/${name}`, LOCK_TTL_SECONDS);
    if (!lock) return { done: false };
    try {
      // What the previous holder stored may not have arrived through the watch yet.
      await this.reload();
      return { done: true, value: await fn() };
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  async putChallenge(kind: ChallengeKind, key: string, value: string): Promise<void> {
    const full = `${this.prefix}challenges/${kind}/${key}`;
    const seen = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ECHO_WAIT_MS);
      this.echoes.set(full, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await this.write(full, value);
      // The other instances get the change with this one's own copy: wait for it before the CA looks.
      await seen;
    } finally {
      this.echoes.delete(full);
    }
  }

  async deleteChallenge(kind: ChallengeKind, key: string): Promise<void> {
    await this.write(`${this.prefix}challenges/${kind}/${key}`, undefined).catch(() => undefined);
  }

  challenge(kind: ChallengeKind, key: string): string | undefined {
    return this.entries.get(`${this.prefix}challenges/${kind}/${key}`);
  }

  async freshChallenge(kind: ChallengeKind, key: string): Promise<string | undefined> {
    const known = this.challenge(kind, key);
    if (known !== undefined || key === '' || key.includes('/')) return known;
    try {
      return await this.backend.get(`${this.prefix}challenges/${kind}/${key}`);
    } catch {
      return undefined;
    }
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  onChallenge(listener: ChallengeListener): void {
    this.challengeListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.backend.close();
  }
}
