import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Provider, ProviderIssue, ProviderSnapshot } from '../contract.js';
import { fetchAliasConfig } from './alias-endpoint.js';
import type { KvSession, KvStore } from './contract.js';
import { trimDir } from './contract.js';
import { snapshotFromPairs } from './layout.js';
import { Backoff, sleep, Wake } from './wait.js';

/** Options every key-value provider shares (reference §1.3, plus the alias switch). */
export interface KvProviderOptions {
  /** The directory holding the configuration when there is no alias key (`traefik`). */
  rootKey: string;
  /** A key whose value names the directory holding this instance's configuration (`/traefik/dev/alias`). */
  aliasKey?: string;
  /** Fetch the configuration for the alias value from this URL; `{alias}` is replaced by the value. */
  aliasEndpoint?: string;
  logger: Logger;
  /** Reconnection backoff bounds in ms (default 250 → 5000). */
  retry?: { initialMs: number; maxMs: number };
  /** After a change, wait this long (ms, default 50) for the rest of a burst of writes before reading. */
  settleMs?: number;
}

/**
 * A provider reading a key-value store (etcd, Redis, ZooKeeper). It reads the whole configuration, watches
 * what it read, and reads again (whole) on every change. With `aliasKey`, it reads the alias first and then
 * the directory the alias names, both in one consistent view, so an alias flip swaps in one snapshot.
 * When the store is unreachable it keeps (re-emits) its last good configuration and retries with backoff;
 * on reconnection it reads everything again, so nothing missed while away (or compacted) is lost.
 *
 * @example new KvProvider(new EtcdStore({ endpoints: ['127.0.0.1:2379'] }), { rootKey: 'traefik', logger })
 */
export class KvProvider implements Provider {
  readonly fromStrings = true;
  readonly name: string;
  private readonly log: Logger;
  private good: ProviderSnapshot | undefined;

  constructor(
    private readonly store: KvStore,
    private readonly opts: KvProviderOptions,
  ) {
    this.name = store.name;
    this.log = opts.logger.child({ providerName: store.name });
  }

  async provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.opts.retry?.initialMs ?? 250, this.opts.retry?.maxMs ?? 5000);
    let lastDetail: string | undefined;
    while (!signal.aborted) {
      const wake = new Wake();
      let lostError: unknown;
      let session: KvSession | undefined;
      try {
        session = await this.store.open({
          change: () => {
            this.log.debug('the store changed');
            wake.set();
          },
          lost: (err) => {
            lostError ??= err;
            wake.set();
          },
        });
        await this.follow(
          session,
          wake,
          () => lostError,
          (s) => {
            backoff.reset();
            lastDetail = undefined;
            emit(s);
          },
          signal,
        );
      } catch (err) {
        if (signal.aborted) break;
        const detail = errorMessage(err);
        if (detail !== lastDetail) this.log.warn('the store is unreachable; retrying', { error: detail });
        lastDetail = detail;
        // A stable message: retries during one outage do not make new configurations.
        const message = `cannot reach ${this.store.name} at ${this.store.address}; retrying with backoff (the last good configuration stays in use)`;
        emit(this.withIssue({ message, source: this.store.address }));
        await sleep(backoff.delay(), signal);
      } finally {
        await session?.close().catch(() => undefined);
      }
    }
  }

  /** Reads, emits, waits for a change; until the session is lost (throws) or the signal aborts. */
  private async follow(
    session: KvSession,
    wake: Wake,
    lost: () => unknown,
    emit: (s: ProviderSnapshot) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { aliasKey } = this.opts;
    const keys = aliasKey ? [aliasKey] : [];
    let watchedDir: string | undefined;
    if (!aliasKey) watchedDir = trimDir(this.opts.rootKey);
    await session.watch(keys, watchedDir && !this.opts.aliasEndpoint ? [watchedDir] : []);
    const onAbort = () => wake.set();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (lost() !== undefined) throw lost();
        wake.clear();
        const snapshot = await this.read(session, async (dir) => {
          if (dir === watchedDir || this.opts.aliasEndpoint) return false;
          watchedDir = dir;
          await session.watch(keys, dir ? [dir] : []);
          return true;
        });
        if (lost() !== undefined) throw lost();
        if (signal.aborted) return;
        this.log.debug('configuration read', { directory: watchedDir });
        emit(snapshot);
        await wake.wait();
        if (signal.aborted) return;
        await sleep(this.opts.settleMs ?? 50, signal); // let the rest of a burst of writes land
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * One whole read. `rewatch(dir)` moves the directory watch when the alias names a new directory; the
   * read then starts again in a fresh view, so it misses nothing written meanwhile.
   */
  private async read(
    session: KvSession,
    rewatch: (dir: string | undefined) => Promise<boolean>,
  ): Promise<ProviderSnapshot> {
    const { aliasKey, aliasEndpoint } = this.opts;
    for (;;) {
      const view = session.view();
      let dir = trimDir(this.opts.rootKey);
      if (aliasKey) {
        const value = (await view.get(aliasKey))?.trim();
        if (!value) {
          await rewatch(undefined);
          return this.withIssue({
            message: `the alias key is not set; ${this.good ? 'the last configuration stays in use' : 'nothing is loaded'}`,
            source: `${this.store.name}:${aliasKey}`,
          });
        }
        if (aliasEndpoint) return this.keep(await fetchAliasConfig(aliasEndpoint, value));
        dir = trimDir(value);
        if (await rewatch(dir)) continue;
      }
      const pairs = await view.list(dir);
      return this.keep(snapshotFromPairs(pairs, dir, this.store.name));
    }
  }

  private keep(snapshot: ProviderSnapshot): ProviderSnapshot {
    this.good = snapshot;
    return snapshot;
  }

  /** The last good snapshot (or an empty one) with one more issue: never an empty config because of an error. */
  private withIssue(issue: ProviderIssue): ProviderSnapshot {
    const base = this.good ?? { config: {}, issues: [] };
    return { ...base, issues: [...base.issues, issue] };
  }
}
