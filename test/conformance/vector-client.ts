import { exchangeBytes } from '../integration/tcp-fixture.js';

/**
 * Writes `bytes` (latin1) on a fresh connection from `localAddress` (a 127.0.0.x address: the server
 * tells concurrent vectors apart by the client address it forwards) and reads until the peer closes it.
 * The 20 s guard is a test guard, never a timing assertion.
 */
export async function exchange(port: number, bytes: string, localAddress = '127.0.0.1'): Promise<string> {
  const send = bytes === '' ? undefined : Buffer.from(bytes, 'latin1');
  const got = await exchangeBytes(port, send, { localAddress, limitMs: 20_000 });
  const data = got.data.toString('latin1');
  if (!got.closed) {
    throw new Error(`connection not closed within 20 s; received ${JSON.stringify(data.slice(0, 500))}`);
  }
  return data;
}

/** The status codes of the responses in `data`, in order (interim ones included). */
export function statuses(data: string): number[] {
  return [...data.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
}

/** A pool of client addresses 127.0.0.2… for `n` concurrent vectors. */
export class AddressPool {
  private readonly free: string[];
  constructor(n: number) {
    this.free = Array.from(
      { length: n },
      (_, i) => `127.0.${1 + Math.floor((i + 1) / 250)}.${2 + ((i + 1) % 250)}`,
    );
  }
  take(): string {
    const a = this.free.pop();
    if (a === undefined) throw new Error('address pool exhausted: concurrency above the pool size');
    return a;
  }
  give(a: string): void {
    this.free.push(a);
  }
}
