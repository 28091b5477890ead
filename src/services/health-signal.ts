import type { HealthStatus } from './contract.js';

/**
 * The health of a group (a loadBalancer's servers, a weighted service's children): up while at least
 * one member is up. Members report transitions; the group notifies its own subscribers only when its
 * own status flips.
 */
export class GroupHealth implements HealthStatus {
  up: boolean;
  private readonly listeners = new Set<(up: boolean) => void>();

  constructor(
    private readonly members: readonly HealthStatus[],
    signal: AbortSignal,
  ) {
    this.up = members.length > 0 && members.some((m) => m.up);
    for (const m of members) m.subscribe(() => this.recompute(), signal);
  }

  subscribe(fn: (up: boolean) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.listeners.add(fn);
    signal.addEventListener('abort', () => this.listeners.delete(fn), { once: true });
  }

  private recompute(): void {
    const up = this.members.some((m) => m.up);
    if (up === this.up) return;
    this.up = up;
    for (const fn of this.listeners) fn(up);
  }
}
