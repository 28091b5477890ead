/**
 * Limits that hold for the whole instance when it runs worker processes: a worker asks the process
 * owning the state (the primary) for rate-limit tokens and in-flight permits instead of counting alone.
 * Unset (the default) in a single process and in the primary, where middlewares count locally.
 */
export interface SharedLimits {
  /** Takes one token from the bucket `bucket` (identity of the rateLimit) for the source `key`. */
  take(
    bucket: string,
    params: { rate: number; burst: number; maxDelay: number },
    key: string,
  ): Promise<{ allowed: boolean; waitMs: number }>;
  /** One more request of `key` in the counter `counter` (an inFlightReq), if under `amount`. */
  acquire(counter: string, amount: number, key: string): Promise<boolean>;
  /** The request holding a permit from `acquire` has finished. */
  release(counter: string, key: string): void;
}

let current: SharedLimits | undefined;

/** Set once by a worker process at startup. */
export function setSharedLimits(limits: SharedLimits | undefined): void {
  current = limits;
}

/** The instance-wide limits, when this process is a worker; undefined otherwise. */
export function sharedLimits(): SharedLimits | undefined {
  return current;
}
