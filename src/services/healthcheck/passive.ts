import type { ServerHealth } from './server-health.js';

/** Resolved `passiveHealthCheck` settings. */
export interface PassiveSettings {
  readonly failureWindowMs: number;
  readonly maxFailedAttempts: number;
}

/**
 * Records one failed request on `state`: when `maxFailedAttempts` failures fall inside `failureWindow`,
 * the server is benched for `failureWindow` and comes back by itself afterwards.
 */
export function recordFailure(state: ServerHealth, settings: PassiveSettings, now = Date.now()): void {
  if (state.benchedUntil !== 0) return;
  const failures = state.failures;
  const since = now - settings.failureWindowMs;
  let stale = 0;
  while (stale < failures.length && failures[stale]! <= since) stale++;
  if (stale > 0) failures.splice(0, stale);
  failures.push(now);
  if (failures.length >= Math.max(1, settings.maxFailedAttempts)) {
    failures.length = 0;
    state.bench(settings.failureWindowMs);
  }
}
