import assert from 'node:assert/strict';
import type { Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { askUdp, udpClient as client, startUdpEcho as echoServer } from '../helpers/udp.js';

/** The answer to one datagram (a 10 s guard, not a timing assertion). */
const ask = (c: Socket, port: number, text: string) => askUdp(c, port, text, 10_000);

/** A port nothing listens on: the kernel answers datagrams to it with ICMP port unreachable. */
async function closedPort(): Promise<number> {
  const s = await client();
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const lb = (...ports: number[]) =>
  `      loadBalancer:\n        servers:\n${ports.map((p) => `          - address: 127.0.0.1:${p}\n`).join('')}`;

describe('UDP sessions against real sockets', () => {
  const servers: Socket[] = [];
  const clients: Socket[] = [];
  let a: number;
  let b: number;
  let dir: string;
  let sy: Running;
  const port = (ep: string) => sy.ports.get(ep)!;
  const dynamic = (reloadTo: number) =>
    [
      'udp:',
      '  routers:',
      ...['split', 'idle', 'reload', 'flood', 'gone'].flatMap((ep) => [
        `    ${ep}:`,
        `      entryPoints: [${ep}]`,
        `      service: ${ep}`,
      ]),
      '  services:',
      '    split:',
      '      weighted:',
      '        services:',
      '          - name: onA',
      '            weight: 3',
      '          - name: onB',
      '            weight: 1',
      `    onA:\n${lb(a)}`,
      `    onB:\n${lb(b)}`,
      `    idle:\n${lb(a, b)}`,
      `    reload:\n${lb(reloadTo)}`,
      `    flood:\n${lb(a)}`,
      `    gone:\n${lb(dead, b)}`,
      '',
    ].join('\n');
  let dead: number;

  before(async () => {
    const ea = await echoServer('a');
    const eb = await echoServer('b');
    servers.push(ea.socket, eb.socket);
    a = ea.port;
    b = eb.port;
    dead = await closedPort();
    dir = tempDir();
    writeFile(dir, 'dyn.yml', dynamic(a));
    const eps = ['split', 'idle', 'reload', 'flood', 'gone'];
    sy = await startSwitchyard(
      [
        '--log.level=DEBUG',
        ...eps.map((ep) => `--entryPoints.${ep}.address=127.0.0.1:0/udp`),
        '--entryPoints.idle.udp.timeout=300ms',
        '--entryPoints.reload.udp.timeout=60s',
        '--entryPoints.flood.udp.timeout=500ms',
        '--entryPoints.flood.udp.maxSessions=20',
        `--providers.file.filename=${dir}/dyn.yml`,
      ],
      { expectEntryPoints: eps },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    for (const s of [...clients, ...servers]) s.close();
    await sy?.stop();
  });

  const newClient = async () => {
    const c = await client();
    clients.push(c);
    return c;
  };

  it('splits sessions by weight over a weighted service', async () => {
    const tags: string[] = [];
    for (let i = 0; i < 8; i++) tags.push((await ask(await newClient(), port('split'), 'q'))?.[0] ?? '-');
    assert.equal(tags.filter((t) => t === 'a').length, 6, tags.join(''));
    assert.equal(tags.filter((t) => t === 'b').length, 2, tags.join(''));
  });

  it('ends an idle session after udp.timeout; the next datagram opens a session on another server', async () => {
    const c = await newClient();
    const first = await ask(c, port('idle'), 'one');
    assert.equal(first, 'a:one');
    assert.equal(await ask(c, port('idle'), 'two'), 'a:two', 'the live session keeps its server');
    await sy.waitFor(/udp session ended: idle.*entryPoint=idle\b/);
    assert.equal(await ask(c, port('idle'), 'three'), 'b:three', 'a new session picks the next server');
  });

  it('ends a session whose server is gone (ICMP unreachable) and serves the next datagram', async () => {
    const c = await newClient();
    c.send('lost', port('gone'), '127.0.0.1');
    await sy.waitFor(/udp session ended: server error.*entryPoint=gone\b.*ECONNREFUSED/);
    assert.equal(await ask(c, port('gone'), 'retry'), 'b:retry');
  });

  it('bounds the sessions of a flood from many source ports, logs it and keeps serving', async () => {
    const flood: Socket[] = [];
    let replies = 0;
    for (let i = 0; i < 60; i++) {
      const c = await newClient();
      c.on('message', () => replies++);
      flood.push(c);
    }
    for (const c of flood) c.send('flood', port('flood'), '127.0.0.1');
    const line = await sy.waitFor(/udp session limit reached.*entryPoint=flood\b/);
    assert.match(line, /sessions=20\b.*limit=20\b/);
    // The capped sessions end after udp.timeout; then a new client is served again.
    const late = await newClient();
    let answer: string | undefined;
    const answered = new Promise<void>((resolve) =>
      late.once('message', (m) => {
        answer = m.toString();
        resolve();
      }),
    );
    for (let i = 0; i < 100 && answer === undefined; i++) {
      late.send('late', port('flood'), '127.0.0.1');
      await Promise.race([answered, new Promise((r) => setTimeout(r, 200))]);
    }
    assert.equal(answer, 'a:late');
    assert.ok(replies > 0 && replies <= 20, `at most 20 flood clients answered, got ${replies}`);
    assert.equal(sy.proc.exitCode, null, 'the process is still running');
  });

  it('keeps a live session on its server across a reload; new sessions follow the new configuration', async () => {
    const c1 = await newClient();
    assert.equal(await ask(c1, port('reload'), 'before'), 'a:before');
    writeFile(dir, 'dyn.yml', dynamic(b));
    await sy.waitFor(/configuration applied.*generation=3/);
    assert.equal(await ask(c1, port('reload'), 'after'), 'a:after');
    assert.equal(await ask(await newClient(), port('reload'), 'new'), 'b:new');
  });
});
