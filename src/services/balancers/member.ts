/** What every strategy needs to know about a server (or a child service) it balances over. */
export interface BalancerMember {
  /** Share of the traffic; 0 (or less) means never picked. */
  readonly weight: number;
  /** Stable identity (server URL or service name): hrw hashes it. */
  readonly url: string;
  /** Live state, written by health checks and request accounting, read on every pick. */
  readonly health: MemberState;
}

/** The fields of `ServerHealth` the strategies read. */
export interface MemberState {
  readonly up: boolean;
  /** Requests in flight (p2c, leasttime). */
  readonly inflight: number;
  /** Average time to first byte in ms, 0 = unknown (leasttime). */
  readonly ttfbMs: number;
}
