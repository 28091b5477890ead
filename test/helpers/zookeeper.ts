import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { type RestartableServer, spawnServer, startRestartable, waitForPort } from './server-process.js';

/** Debian's `zookeeperd` jars; the server runs as a plain Java process the test owns. */
const CLASSPATH = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar';

/** A real ZooKeeper (standalone) on 127.0.0.1, in its own data directory. */
export type ZooKeeperServer = RestartableServer;

/** Starts the server on free 127.0.0.1 ports (picked again if another process takes one first). */
export function startZooKeeper(): Promise<ZooKeeperServer> {
  return startRestartable('switchyard-zk-', async (dir) => {
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
    return {
      port,
      spawn: () =>
        spawnServer(
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
        ),
      ready: async (server) => {
        await waitForPort(port, server, 60_000);
        await waitServing(port);
      },
    };
  });
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
