import net from 'node:net';
import type { FaultVector } from './backend-fault-vectors.js';

/**
 * A misbehaving HTTP/1 server: the real peer of the backend-fault suite. It reads request heads (no
 * bodies: the suite sends GETs), answers `/ok` and `/t/ok` properly with keep-alive, and answers
 * `/v/N` and `/t/N` with fault vector N, byte for byte. A connection that carried a fault (any vector
 * not marked `reusable`) must never see another request: `reused` lists the paths that arrived on one.
 */
export interface RawBackend {
  readonly port: number;
  /** Requests that arrived on a connection that had already carried a fault. */
  readonly reused: string[];
  close(): Promise<void>;
}

export async function startFaultBackend(vectors: readonly FaultVector[]): Promise<RawBackend> {
  const reused: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let faulted = false;
    let pending = '';
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const path = pending.slice(0, end).split(' ')[1] ?? '';
        pending = pending.slice(end + 4);
        if (faulted) {
          reused.push(path);
          continue;
        }
        const m = /^\/[vt]\/(\d+)$/.exec(path);
        if (m === null) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          continue;
        }
        const v = vectors[Number(m[1])]!;
        faulted = v.reusable !== true;
        void play(socket, v);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    reused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves true after `ms`, or false as soon as the connection closes (so trickles stop). */
function waiter(socket: net.Socket): (ms: number) => Promise<boolean> {
  return (ms) =>
    new Promise((resolve) => {
      if (socket.destroyed) {
        resolve(false);
        return;
      }
      const onClose = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        socket.off('close', onClose);
        resolve(!socket.destroyed);
      }, ms);
      socket.once('close', onClose);
    });
}

async function play(socket: net.Socket, v: FaultVector): Promise<void> {
  if (v.script) await v.script(socket, waiter(socket));
  else if (v.reply) socket.write(v.reply, 'latin1');
  if (socket.destroyed) return;
  if (v.close === 'end') socket.end();
  else if (v.close === 'reset') socket.resetAndDestroy();
}
