import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('rateLimit with Redis, shared by two instances', () => {
  let redis: ChildProcess;
  let backend: Backend;
  const instances: Running[] = [];

  before(async () => {
    const port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await eventually(() => canConnect(port));
    backend = await startBackend();
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    app:
      rule: "Host(\`rl.test\`)"
      middlewares: [limit]
      service: app
  middlewares:
    limit:
      rateLimit:
        average: 1
        period: 1h
        burst: 4
        redis:
          endpoints: ["127.0.0.1:${port}"]
  services:
    app:
      loadBalancer:
        servers:
          - url: "${backend.url}"
`,
    );
    for (let i = 0; i < 2; i++) {
      const sy = await startSwitchyard(
        ['--entryPoints.web.address=127.0.0.1:0', `--providers.file.filename=${dynamic}`],
        {
          expectEntryPoints: ['web'],
        },
      );
      await sy.waitFor(/configuration applied.*generation=2/);
      instances.push(sy);
    }
  });

  after(async () => {
    for (const sy of instances) await sy.stop();
    await backend?.close();
    redis?.kill('SIGTERM');
  });

  it('lets exactly the burst through across both instances, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last429: Awaited<ReturnType<typeof request>> | undefined;
    for (let i = 0; i < 12; i++) {
      const sy = instances[i % 2]!;
      const res = await request(sy.url('web', '/'), { headers: { host: 'rl.test' } });
      statuses.push(res.status);
      if (res.status === 429) last429 = res;
    }
    assert.equal(statuses.filter((s) => s === 200).length, 4, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 8, statuses.join(','));
    assert.ok(Number(last429!.headers['retry-after']) >= 1);
    assert.match(String(last429!.headers['x-retry-in']), /^\d+ms$/);
  });
});
