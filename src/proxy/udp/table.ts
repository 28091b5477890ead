/** Picks the server address for a new session; `undefined` when the service has no server. */
export type UdpPicker = () => string | undefined;

/** Where one UDP entrypoint sends new sessions in one generation (built by `src/graph/build-udp.ts`). */
export interface UdpTable {
  /** The router serving the entrypoint, if any. */
  router: string | undefined;
  pick: UdpPicker;
}

/** An entrypoint without a UDP router: datagrams are dropped. */
export const EMPTY_UDP_TABLE: UdpTable = { router: undefined, pick: () => undefined };

/** Round robin over the servers of a `loadBalancer`, one pick per new session. */
export function roundRobin(servers: readonly string[]): UdpPicker {
  let next = 0;
  return () => (servers.length === 0 ? undefined : servers[next++ % servers.length]);
}

/**
 * Smooth weighted round robin over the children of a `weighted` service: over any `sum of weights`
 * consecutive sessions, each child gets exactly its weight. Children with a weight of 0 or less get none.
 */
export function weightedRoundRobin(children: readonly { pick: UdpPicker; weight: number }[]): UdpPicker {
  const live = children.filter((c) => c.weight > 0).map((c) => ({ ...c, current: 0 }));
  const total = live.reduce((sum, c) => sum + c.weight, 0);
  return () => {
    if (live.length === 0) return undefined;
    let best = live[0]!;
    for (const c of live) {
      c.current += c.weight;
      if (c.current > best.current) best = c;
    }
    best.current -= total;
    return best.pick();
  };
}
