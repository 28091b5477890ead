/**
 * Per-provider throttle, as Traefik's `providers.providersThrottleDuration`: the first event is applied at
 * once and opens a window of `windowMs`; events arriving inside the window replace one another and the
 * latest is applied when the window ends (opening a new window). The last event is never lost.
 *
 * `apply` returns false when it decided the event was a no-op (an unchanged snapshot): then no window is
 * opened, so the next real change is applied at once.
 */
export class Throttle<T> {
  private timer: NodeJS.Timeout | undefined;
  private pending: { value: T } | undefined;
  private stopped = false;

  constructor(
    private readonly windowMs: number,
    private readonly apply: (value: T) => boolean,
  ) {}

  /** Offers an event: applied now, or kept as the latest of the current window. */
  push(value: T): void {
    if (this.stopped) return;
    if (this.timer !== undefined) {
      this.pending = { value };
      return;
    }
    this.run(value);
  }

  /** Drops any pending event and stops the window timer. */
  stop(): void {
    this.stopped = true;
    this.pending = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(value: T): void {
    const applied = this.apply(value);
    if (!applied || this.windowMs <= 0 || this.stopped) return;
    this.timer = setTimeout(() => this.windowEnded(), this.windowMs);
  }

  private windowEnded(): void {
    this.timer = undefined;
    const next = this.pending;
    this.pending = undefined;
    if (next) this.run(next.value);
  }
}
