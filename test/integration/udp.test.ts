import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, test } from 'node:test';
import { startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { askUdp, startUdpEcho as echoServer } from '../helpers/udp.js';

const ask = async (c: Socket, port: number, text: string) => (await askUdp(c, port, text, 10_000)) ?? '';

test('UDP round trip through a udp entrypoint, sessions stick to their server', async () => {
  const a = await echoServer('a');
  const b = await echoServer('b');
  const dir = tempDir();
  writeFile(
    dir,
    'dyn.yml',
    `udp:\n  routers:\n    dns:\n      entryPoints: [dns]\n      service: both\n  services:\n    both:\n      loadBalancer:\n        servers:\n          - address: 127.0.0.1:${a.port}\n          - address: 127.0.0.1:${b.port}\n`,
  );
  const sy = await startSwitchyard(
    ['--entryPoints.dns.address=127.0.0.1:0/udp', `--providers.file.filename=${dir}/dyn.yml`],
    { expectEntryPoints: ['dns'] },
  );
  const c1 = createSocket('udp4');
  const c2 = createSocket('udp4');
  after(async () => {
    c1.close();
    c2.close();
    a.socket.close();
    b.socket.close();
    await sy.stop();
  });
  await sy.waitFor(/configuration applied.*generation=2/);
  const port = sy.ports.get('dns')!;
  const first = await ask(c1, port, 'hello');
  assert.match(first, /^[ab]:hello$/);
  const again = await ask(c1, port, 'again');
  assert.equal(again[0], first[0], 'the same client stays on its server');
  const other = await ask(c2, port, 'x');
  assert.notEqual(other[0], first[0], 'a new client goes to the next server');
});

test('UDP over IPv6: an entrypoint on [::1] forwards to a server written [::1]:port', async () => {
  const server = createSocket('udp6');
  server.on('message', (m, r) => server.send(Buffer.from(`v6:${m}`), r.port, r.address));
  await new Promise<void>((resolve) => server.bind(0, '::1', () => resolve()));
  const dir = tempDir();
  writeFile(
    dir,
    'dyn.yml',
    `udp:\n  routers:\n    r:\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - address: "[::1]:${server.address().port}"\n`,
  );
  const sy = await startSwitchyard(
    ['--entryPoints.v6.address=[::1]:0/udp', `--providers.file.filename=${dir}/dyn.yml`],
    { expectEntryPoints: ['v6'] },
  );
  const client = createSocket('udp6');
  after(async () => {
    client.close();
    server.close();
    await sy.stop();
  });
  await sy.waitFor(/configuration applied.*generation=2/);
  const answer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no UDP reply over IPv6')), 10_000);
    client.once('message', (m) => {
      clearTimeout(timer);
      resolve(m.toString());
    });
    client.send('hi', sy.ports.get('v6')!, '::1');
  });
  assert.equal(answer, 'v6:hi');
});
