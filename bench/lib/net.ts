import http from 'node:http';
import net from 'node:net';
import { logTail, type Started } from './processes.js';

/** A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection; resolves with the status, or 0 when nothing answered. */
export function probe(port: number, urlPath: string, host?: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, agent: false, headers: host ? { Host: host } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Waits until `started` answers a 2xx on `port`; fails with its log tail if it exits first or does not
 * answer within `timeoutMs`.
 */
export async function waitReady(
  started: Started,
  port: number,
  urlPath: string,
  host: string | undefined,
  timeoutMs: number,
): Promise<void> {
  let exit: string | undefined;
  started.exited.then((code) => {
    exit = code;
  });
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    if (exit !== undefined)
      throw new Error(`${started.name} exited (${exit}) before answering:\n${logTail(started)}`);
    last = await probe(port, urlPath, host);
    if (last >= 200 && last < 300) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seen = last === 0 ? 'no answer' : `status ${last}`;
  throw new Error(`${started.name} not ready after ${timeoutMs} ms (${seen}):\n${logTail(started)}`);
}
