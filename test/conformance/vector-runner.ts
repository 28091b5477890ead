import type { RecordingBackend } from './recording-backend.js';
import { exchange, statuses } from './vector-client.js';
import type { ClientVector, Forwarded } from './vectors/types.js';

/** What one vector gave on one proxy. */
export interface VectorOutcome {
  /** Statuses the client got, in order. */
  readonly statuses: number[];
  /** Statuses of the normal request sent afterwards (expected `[200]`). */
  readonly next: number[];
  /** What the server received for this client (the vector's requests, then `GET /next`), sorted. */
  readonly received: Forwarded[];
  /** The raw answer, for messages. */
  readonly data: string;
}

/** Sorts forwarded requests: pipelined ones may reach the server in any order. */
export const byText = (a: readonly string[], b: readonly string[]) => (a.join(' ') < b.join(' ') ? -1 : 1);

/**
 * Runs `v` against the proxy on `port` from client address `address` (held by this vector alone), then a
 * normal request, and collects what the recording server received for that address.
 */
export async function runVector(
  port: number,
  backend: RecordingBackend,
  v: ClientVector,
  address: string,
): Promise<VectorOutcome> {
  try {
    const data = await exchange(port, v.send, address);
    const next = await exchange(
      port,
      'GET /next HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n',
      address,
    );
    const received = backend
      .from(address)
      .map((r): Forwarded => [r.method, r.target, r.body])
      .sort(byText);
    return { statuses: statuses(data), next: statuses(next), received, data };
  } finally {
    backend.forget(address);
  }
}

/** The requests `v` must leave on the server, sorted as `runVector` reports them. */
export function expectedReceived(v: ClientVector): Forwarded[] {
  return [...v.received, ['GET', '/next', ''] as Forwarded].sort(byText);
}

/** Runs `items` through `fn` with at most `n` at once. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let at = 0;
  const worker = async () => {
    while (at < items.length) {
      const i = at++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
