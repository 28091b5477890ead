import type { Client } from 'node-zookeeper-client';
import { SwitchyardError } from '../../core/errors.js';

/** The largest frame accepted from a server (ZooKeeper's own `jute.maxbuffer` is 1 MiB by default). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** The part of node-zookeeper-client's connection manager the guard wraps (not in its typings). */
interface ConnectionManager {
  onSocketData(this: ConnectionManager, buffer: Buffer): void;
  pendingBuffer: Buffer | null;
  socket?: { destroy(): void };
}

/**
 * node-zookeeper-client parses each frame inside its socket `data` handler and throws there on bytes that
 * are not ZooKeeper's protocol (`Unknown code: …` for an unknown error code, a RangeError for a short
 * frame): an uncaught exception that ends the process. That happens when the configured address answers
 * with another server, for example after ZooKeeper stopped and something else took its port.
 *
 * The guard wraps that handler: a frame that cannot be parsed, or a length no ZooKeeper sends, closes
 * the connection and calls `onError` with a clear error; the client then reconnects as after any
 * connection loss (and the provider keeps its last good configuration meanwhile).
 */
export function guardProtocol(client: Client, address: string, onError: (err: Error) => void): void {
  const manager = (client as unknown as { connectionManager?: ConnectionManager }).connectionManager;
  if (!manager || typeof manager.onSocketData !== 'function') return;
  const parse = manager.onSocketData;
  manager.onSocketData = function guarded(this: ConnectionManager, buffer: Buffer) {
    try {
      // The next frame's length prefix (a frame may start in the bytes held from the last chunk).
      const head = this.pendingBuffer ? Buffer.concat([this.pendingBuffer.subarray(0, 4), buffer]) : buffer;
      if (head.length >= 4) {
        const size = head.readInt32BE(0);
        if (size < 0 || size > MAX_FRAME_BYTES) throw new Error(`a frame of ${size} bytes`);
      }
      parse.call(this, buffer);
    } catch (err) {
      this.pendingBuffer = null;
      onError(
        new SwitchyardError(
          'PROVIDER_READ',
          `the server at ${address} does not speak ZooKeeper's protocol (${(err as Error).message}); is another server on that port?`,
          { cause: err },
        ),
      );
      this.socket?.destroy();
    }
  };
}
