/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A level-triggered flag: `set` wakes one `wait`er; `wait` returns at once when already set. */
export class Wake {
  private flag = false;
  private waiter: (() => void) | undefined;

  set(): void {
    this.flag = true;
    this.waiter?.();
    this.waiter = undefined;
  }

  clear(): void {
    this.flag = false;
  }

  wait(): Promise<void> {
    if (this.flag) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/** Exponential backoff between `initialMs` and `maxMs`, doubling at each failure. */
export class Backoff {
  private next: number;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {
    this.next = initialMs;
  }

  /** The delay before the next attempt; doubles the one after. */
  delay(): number {
    const d = this.next;
    this.next = Math.min(this.next * 2, this.maxMs);
    return d;
  }

  reset(): void {
    this.next = this.initialMs;
  }
}
