import { join } from 'node:path';
import { freePort } from './free-port.js';
import { type RestartableServer, spawnServer, startRestartable } from './server-process.js';

/** A real etcd (Debian's `etcd-server`) on 127.0.0.1, in its own data directory. */
export type EtcdServer = RestartableServer;

/** Starts the server on free 127.0.0.1 ports (picked again if another process takes one first). */
export function startEtcd(): Promise<EtcdServer> {
  return startRestartable('switchyard-etcd-', async (dir) => {
    const port = await freePort();
    const peer = await freePort();
    return {
      port,
      spawn: () =>
        spawnServer('etcd', [
          '--name',
          'test',
          '--data-dir',
          join(dir, 'data'),
          '--listen-client-urls',
          `http://127.0.0.1:${port}`,
          '--advertise-client-urls',
          `http://127.0.0.1:${port}`,
          '--listen-peer-urls',
          `http://127.0.0.1:${peer}`,
          '--initial-advertise-peer-urls',
          `http://127.0.0.1:${peer}`,
          '--initial-cluster',
          `test=http://127.0.0.1:${peer}`,
          '--log-level',
          'error',
        ]),
    };
  });
}
