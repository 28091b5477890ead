import { createHash } from 'node:crypto';
import { BUILTIN_SCHEMAS, type ExtensionSchemas } from '../config/dynamic/builtin-schemas.js';
import { type ElementIssue, type Locate, validateDynamic } from '../config/dynamic/validate.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Provider, ProviderSnapshot } from '../providers/contract.js';
import { ElementReuse } from './element-reuse.js';
import { IssueLog } from './issue-log.js';
import { deepFreeze, type MergedConfig, mergeProviders, type ProviderState } from './merge.js';
import { qualifyConfig } from './qualify-refs.js';
import { stableStringify } from './stable-json.js';
import { Throttle } from './throttle.js';

/**
 * A snapshot that can say where each raw path came from (the file provider does). Proposed as an optional
 * `locate` field of `ProviderSnapshot` in src/providers/contract.ts.
 */
export type LocatableSnapshot = ProviderSnapshot & { locate?: Locate };

/** Options of the `Watcher`. */
export interface WatcherOptions {
  providers: readonly Provider[];
  /** `providers.providersThrottleDuration` in milliseconds (Traefik's default: 2000); 0 applies every event. */
  throttleMs: number;
  logger: Logger;
  /** Called with the merged configuration each time a provider's applied configuration changed. */
  onConfig: (merged: MergedConfig) => void;
  /**
   * The kinds a configuration may name (the instance's registries, plugins included): validation and
   * qualification read their declarations. The built-ins when absent.
   */
  extensions?: ExtensionSchemas;
}

/**
 * Sits between the providers and the graph builder: per provider it throttles events, drops a snapshot
 * that did not change, validates the rest element by element; then it merges every provider's latest
 * valid configuration under qualified names (`api@file`) and hands the frozen result to `onConfig`.
 *
 * @example
 * const watcher = new Watcher({ providers: [fileProvider], throttleMs: 2000, logger, onConfig: rebuild });
 * void watcher.start(shutdown.signal);
 */
export class Watcher {
  private readonly states = new Map<string, ProviderState>();
  private readonly lastApplied = new Map<string, string>();
  /** Per provider: the valid elements of its last apply, reused when unchanged (see `ElementReuse`). */
  private readonly reuse = new Map<string, ElementReuse>();
  private readonly issueLog: IssueLog;
  private started = false;
  private signal: AbortSignal | undefined;
  /** A merged configuration waiting to be handed to `onConfig` in a task of its own. */
  private handOver: { merged: MergedConfig; provider: string } | undefined;

  constructor(private readonly opts: WatcherOptions) {
    const names = new Set<string>();
    for (const p of opts.providers) {
      if (p.name.includes('@') || p.name === '') {
        throw new SwitchyardError('CONFIG_INVALID', `invalid provider name "${p.name}"`);
      }
      if (names.has(p.name))
        throw new SwitchyardError('CONFIG_INVALID', `provider "${p.name}" is configured twice`);
      names.add(p.name);
    }
    if (!(opts.throttleMs >= 0)) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `providersThrottleDuration must not be negative (${opts.throttleMs})`,
      );
    }
    this.issueLog = new IssueLog(opts.logger);
  }

  /**
   * Runs every provider until `signal` aborts; resolves once they have all returned. A provider that
   * fails keeps its last configuration, with the failure reported among its issues.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new SwitchyardError('INTERNAL', 'the watcher is already started');
    this.started = true;
    this.signal = signal;
    const throttles = this.opts.providers.map(
      (p) => new Throttle<LocatableSnapshot>(this.opts.throttleMs, (s) => this.apply(p, s)),
    );
    const stopAll = () => {
      for (const t of throttles) t.stop();
    };
    if (signal.aborted) return;
    signal.addEventListener('abort', stopAll, { once: true });
    await Promise.all(this.opts.providers.map((p, i) => this.run(p, throttles[i]!, signal)));
  }

  /** The latest merged configuration (empty before any provider has reported). */
  current(): MergedConfig {
    return this.merge();
  }

  private async run(
    provider: Provider,
    throttle: Throttle<LocatableSnapshot>,
    signal: AbortSignal,
  ): Promise<void> {
    let last: LocatableSnapshot = { config: undefined, issues: [] };
    const emit = (snapshot: ProviderSnapshot) => {
      if (signal.aborted) return;
      last = snapshot;
      throttle.push(snapshot);
    };
    try {
      await provider.provide(emit, signal);
    } catch (err) {
      if (signal.aborted) return;
      const message = `provider stopped: ${errorMessage(err)}`;
      this.opts.logger.error(message, { providerName: provider.name });
      throttle.push({ ...last, issues: [...last.issues, { message }] });
    }
  }

  /** Applies one snapshot of `provider`; false when it is unchanged and was dropped. */
  private apply({ name: provider, fromStrings }: Provider, snapshot: LocatableSnapshot): boolean {
    const log = this.opts.logger;
    // A digest, not the text: the sorted JSON of a 10,000-router configuration is about a megabyte. (JSON
    // escapes lone surrogates, so its UTF-8 bytes tell every text apart.)
    const key = createHash('sha256')
      .update(stableStringify({ config: snapshot.config, issues: snapshot.issues }))
      .digest('base64');
    if (this.lastApplied.get(provider) === key) {
      log.debug('skipping an unchanged configuration', { providerName: provider });
      return false;
    }
    this.lastApplied.set(provider, key);
    let state: ProviderState;
    const reuse = this.reuse.get(provider) ?? new ElementReuse();
    this.reuse.set(provider, reuse);
    reuse.begin();
    try {
      const extensions = this.opts.extensions ?? BUILTIN_SCHEMAS;
      const { config, issues } = validateDynamic(snapshot.config, {
        middlewares: extensions.middlewares,
        tcpMiddlewares: extensions.tcpMiddlewares,
        provider,
        locate: snapshot.locate,
        fromStrings,
        reuse: (element, raw, validate) => reuse.validated(element, raw, validate),
      });
      state = {
        provider,
        config: deepFreeze(qualifyConfig(config, provider, extensions, reuse.qualifyMemo)),
        issues: [...issues, ...snapshot.issues.filter((i) => i.element)].map((i) =>
          qualifyIssue(i, provider),
        ),
        // copies: the merged result is frozen
        providerIssues: snapshot.issues.filter((i) => !i.element).map((i) => ({ ...i })),
      };
    } catch (err) {
      // A validator bug must not take the configuration down: keep the previous one, say why.
      log.error('the configuration could not be validated', {
        providerName: provider,
        error: errorMessage(err),
      });
      return true;
    }
    reuse.commit();
    this.issueLog.report(provider, state.providerIssues, state.issues);
    this.states.set(provider, state);
    const merged = this.merge();
    // A large configuration is handed over in a task of its own: requests waiting behind its validation
    // are served before the graph is built. Once one hand-over waits, later ones wait behind it (the
    // latest merged configuration is the one handed over), so they never overtake it.
    if (this.handOver || elementCount(state.config) >= LARGE_CONFIG) {
      const scheduled = this.handOver !== undefined;
      this.handOver = { merged, provider };
      if (!scheduled) setImmediate(() => this.handOverLatest());
    } else {
      this.deliver(merged, provider);
    }
    return true;
  }

  private handOverLatest(): void {
    const next = this.handOver;
    this.handOver = undefined;
    if (next && !this.signal?.aborted) this.deliver(next.merged, next.provider);
  }

  private deliver(merged: MergedConfig, provider: string): void {
    try {
      this.opts.onConfig(merged);
    } catch (err) {
      this.opts.logger.error('applying the new configuration failed', {
        providerName: provider,
        error: errorMessage(err),
      });
    }
  }

  private merge(): MergedConfig {
    const states: ProviderState[] = [];
    for (const p of this.opts.providers) {
      const state = this.states.get(p.name);
      if (state) states.push(state);
    }
    return deepFreeze(mergeProviders(states));
  }
}

/** From how many elements a provider's configuration is handed over in a task of its own. */
export const LARGE_CONFIG = 1000;

function elementCount(config: MergedConfig['config']): number {
  let n = 0;
  for (const section of [config.http, config.tcp, config.udp] as Record<string, object | undefined>[])
    for (const kind of Object.values(section)) n += kind ? Object.keys(kind).length : 0;
  return n;
}

/** `http.routers.api` → `http.routers.api@file`; certificate entries and shape problems stay as they are. */
export function qualifyIssue(issue: ElementIssue, provider: string): ElementIssue {
  const out: ElementIssue = { ...issue, provider };
  const match = issue.element && /^(http|tcp|udp|tls)\.([A-Za-z]+)\.(.+)$/.exec(issue.element);
  if (!match) return out;
  const [, section, kind, name] = match;
  if (section === 'tls' && name === 'default') return out;
  // Always append: a name that already has an `@` was rejected for it, and still belongs to this provider.
  out.element = `${section}.${kind}.${name}@${provider}`;
  return out;
}
