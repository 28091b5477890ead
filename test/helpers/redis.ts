import { freePort } from './free-port.js';
import { type RestartableServer, spawnServer, startRestartable } from './server-process.js';

/** A real Redis (Debian's `redis-server`) on 127.0.0.1, no persistence, in its own directory. */
export type RedisServer = RestartableServer;

/** Starts the server on free 127.0.0.1 ports (picked again if another process takes one first). */
export function startRedis(): Promise<RedisServer> {
  return startRestartable('switchyard-redis-', async (dir) => {
    const port = await freePort();
    return {
      port,
      // Without persistence a restart loses the data: save on shutdown so stop/start keeps it.
      spawn: () =>
        spawnServer(
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
        ),
    };
  });
}
