import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { launchOnFreePorts, type ServerProcess, spawnServer, waitForPort } from './server-process.js';

/** A real Redis (Debian's `redis-server`) on 127.0.0.1, no persistence, in its own directory. */
export interface RedisServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Starts the server on free 127.0.0.1 ports (picked again if another process takes one first). */
export function startRedis(): Promise<RedisServer> {
  return launchOnFreePorts(launch);
}

async function launch(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-redis-'));
  const port = await freePort();
  let server: ServerProcess | undefined;
  const start = async () => {
    // Without persistence a restart loses the data: save on shutdown so stop/start keeps it.
    server = spawnServer(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '3600 1',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      dir,
    );
    await waitForPort(port, server);
  };
  await start();
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    start,
    stop: async () => {
      await server?.stop();
    },
    destroy: async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
