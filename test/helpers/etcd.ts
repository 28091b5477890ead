import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { launchOnFreePorts, type ServerProcess, spawnServer, waitForPort } from './server-process.js';

/** A real etcd (Debian's `etcd-server`) on 127.0.0.1, in its own data directory. */
export interface EtcdServer {
  endpoint: string;
  port: number;
  /** Stops the process (by PID), keeping the data. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes the data. */
  destroy(): Promise<void>;
  /** The running server's PID (to freeze it with SIGSTOP, thaw it with SIGCONT). */
  pid(): number | undefined;
}

/** Starts the server on free 127.0.0.1 ports (picked again if another process takes one first). */
export function startEtcd(): Promise<EtcdServer> {
  return launchOnFreePorts(launch);
}

async function launch(): Promise<EtcdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-etcd-'));
  const port = await freePort();
  const peer = await freePort();
  let server: ServerProcess | undefined;
  const start = async () => {
    server = spawnServer('etcd', [
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
    ]);
    await waitForPort(port, server);
  };
  await start();
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    pid: () => server?.proc.pid,
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
