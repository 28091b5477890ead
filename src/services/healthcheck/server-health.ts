import diagnostics from 'node:diagnostics_channel';
import { GenerationStore } from '../../core/generation-store.js';

/** Published on every server health transition: `{ service, server, up, reason }`. */
export const SERVER_HEALTH_CHANNEL = 'switchyard:server-health';
const healthChannel = diagnostics.channel(SERVER_HEALTH_CHANNEL);

/** The message published on `switchyard:server-health`. */
export interface ServerHealthEvent {
  /** Qualified service name (`api@file`). */
  readonly service: string;
  /** Server URL as configured. */
  readonly server: string;
  readonly up: boolean;
  /** `active` (health check), `passive` (failed requests) or `recovered` (passive window over). */
  readonly reason: 'active' | 'passive' | 'recovered';
  /** Passive: benched until this time (ms since epoch). */
  readonly until?: number;
  /** Passive: benched because another worker process benched it (not on this process's failures). */
  readonly relayed?: boolean;
}

/**
 * Everything a service keeps about one of its servers across configuration reloads: health (active and
 * passive), requests in flight and the time-to-first-byte average (p2c, leasttime). Balancers read the
 * plain fields on the hot path; only the checkers write `up`.
 */
export class ServerHealth {
  /** What balancers read: up by the active check and not benched by the passive check. */
  up = true;
  /** Result of the last active check (true until one fails). */
  activeUp = true;
  /** Passive check: the server is benched until this time (ms since epoch); 0 = not benched. */
  benchedUntil = 0;
  /** Requests on this server right now. */
  inflight = 0;
  /** Exponentially weighted average time to first byte, ms (0 = nothing measured yet). */
  ttfbMs = 0;
  /** Failure times inside the passive window (ring of the last `maxFailedAttempts`). */
  failures: number[] = [];
  /** Whether an active check loop has run on this state before (a new server is checked at once). */
  checked = false;
  private readonly listeners = new Set<(up: boolean) => void>();
  private benchTimer: NodeJS.Timeout | undefined;
  private benchRelayed = false;

  constructor(
    readonly service: string,
    readonly url: string,
  ) {}

  /** Records an active check result. */
  setActive(up: boolean): void {
    this.activeUp = up;
    this.update('active');
  }

  /**
   * Benches the server for `ms` (passive health check), then lets it back in. `relayed`: another worker
   * process benched it (told through the primary).
   */
  bench(ms: number, relayed = false): void {
    this.benchRelayed = relayed;
    this.benchedUntil = Date.now() + ms;
    if (this.benchTimer) clearTimeout(this.benchTimer);
    this.benchTimer = setTimeout(() => {
      this.benchTimer = undefined;
      this.benchedUntil = 0;
      this.failures.length = 0;
      this.update('recovered');
    }, ms);
    this.benchTimer.unref();
    this.update('passive');
  }

  /** Calls `fn` on every transition until `signal` aborts. */
  subscribe(fn: (up: boolean) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.listeners.add(fn);
    signal.addEventListener('abort', () => this.listeners.delete(fn), { once: true });
  }

  /** Stops timers (the state is no longer used by any generation). */
  dispose(): void {
    if (this.benchTimer) clearTimeout(this.benchTimer);
    this.listeners.clear();
  }

  private update(reason: ServerHealthEvent['reason']): void {
    const up = this.activeUp && this.benchedUntil === 0;
    if (up === this.up) return;
    this.up = up;
    if (healthChannel.hasSubscribers) {
      const event: ServerHealthEvent =
        reason === 'passive'
          ? {
              service: this.service,
              server: this.url,
              up,
              reason,
              until: this.benchedUntil,
              relayed: this.benchRelayed,
            }
          : { service: this.service, server: this.url, up, reason };
      healthChannel.publish(event);
    }
    for (const fn of this.listeners) fn(up);
  }
}

/** Server states outlive reloads: keyed by qualified service name and server URL. */
const states = new GenerationStore<ServerHealth>((s) => s.dispose());

/**
 * In a worker process, active checks run once per server in the primary: their last results, by
 * service and server, applied to the states here (and to states created later).
 */
const fromPrimary = new Map<string, boolean>();
let followingPrimary = false;

/** The state of `url` in `service`, shared by every generation that uses it. */
export function serverHealth(service: string, url: string, generation: number): ServerHealth {
  const key = `${service}\u0000${url}`;
  return states.use(key, generation, () => {
    const state = new ServerHealth(service, url);
    const up = fromPrimary.get(key);
    if (up !== undefined) {
      state.checked = true;
      state.setActive(up);
    }
    return state;
  });
}

/** Makes this process a follower: no active check of its own, results come through `applyPrimaryHealth`. */
export function followPrimaryHealth(): void {
  followingPrimary = true;
}

/** Whether active checks run elsewhere (this process is a worker). */
export function healthFollowsPrimary(): boolean {
  return followingPrimary;
}

/** An active check result from the primary. */
export function applyPrimaryHealth(service: string, url: string, up: boolean): void {
  const key = `${service}\u0000${url}`;
  fromPrimary.set(key, up);
  const state = states.peek(key);
  if (state) {
    state.checked = true;
    state.setActive(up);
  }
}

/**
 * A server another worker process benched (passive health check) until `until`: benched here too for
 * the rest of that time, unless it already is. The instance leaves a failing server out as soon as one
 * worker has seen it fail `maxFailedAttempts` times.
 */
export function applyPeerBench(service: string, url: string, until: number): void {
  const state = states.peek(`${service}\u0000${url}`);
  const ms = until - Date.now();
  if (state?.benchedUntil !== 0 || ms <= 0) return;
  state.bench(ms, true);
}

/** Every server's last active result (what a new worker starts from): `[service, url, up]`. */
export function activeHealthSnapshot(): [string, string, boolean][] {
  return [...states.values()].map((s) => [s.service, s.url, s.activeUp]);
}

/** Disposes states no live generation uses; call after a reload with the oldest live generation. */
export function sweepServerHealth(oldestLiveGeneration: number): void {
  states.sweep(oldestLiveGeneration);
}

/** Number of live states (tests). */
export function serverHealthCount(): number {
  return states.size;
}
