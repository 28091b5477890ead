import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { launchOnFreePorts, type ServerProcess, spawnServer, waitForPort } from './server-process.js';

/** Debian's `zookeeperd` jars; the server runs as a plain Java process the test owns. */
const CLASSPATH = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar';

/** A real ZooKeeper (standalone) on 127.0.0.1, in its own data directory. */
export interface ZooKeeperServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Starts the server on free 127.0.0.1 ports (picked again if another process takes one first). */
export function startZooKeeper(): Promise<ZooKeeperServer> {
  return launchOnFreePorts(launch);
}

async function launch(): Promise<ZooKeeperServer> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-zk-'));
  const port = await freePort();
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      'tickTime=500',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      'maxSessionTimeout=20000',
      '',
    ].join('\n'),
  );
  let server: ServerProcess | undefined;
  const start = async () => {
    server = spawnServer(
      'java',
      [
        '-Xmx256m',
        '-cp',
        CLASSPATH,
        `-Dzookeeper.log.dir=${dir}`,
        '-Dzookeeper.root.logger=WARN,CONSOLE',
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        cfg,
      ],
      dir,
    );
    await waitForPort(port, server, 60_000);
    await waitServing(port);
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

/** Asks `srvr` (a four-letter command) until the server says it serves (bounded: 60 s). */
async function waitServing(port: number): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const s = connect(port, '127.0.0.1', () => s.end('srvr'));
      s.setTimeout(1000, () => s.destroy());
      s.on('data', (c) => {
        text += c;
      });
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(''));
    });
    if (answer.includes('Mode:')) return;
    if (Date.now() > until) throw new Error(`ZooKeeper on ${port} is not serving: ${answer}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
