import net from 'node:net';

/**
 * Writes `bytes` on a fresh connection from `localAddress` (a 127.0.0.x address: the server tells
 * concurrent vectors apart by the client address it forwards) and reads until the peer closes it.
 * The 20 s guard is a test guard, never a timing assertion.
 */
export function exchange(port: number, bytes: string, localAddress = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let data = '';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection not closed within 20 s; received ${JSON.stringify(data.slice(0, 500))}`));
    }, 20_000);
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      data += c;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(data);
    });
    if (bytes !== '') socket.write(bytes, 'latin1');
  });
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
