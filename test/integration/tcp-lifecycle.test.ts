/**
 * TCP connections over their whole life, against the real CLI: the peek timeout (readTimeout, and 0 =
 * never), a reload that leaves established connections on their generation, the TCP middlewares
 * (ipAllowList, inFlightConn), half-close started by the server, and no socket left behind by peers that
 * vanish, reset or stay silent (Switchyard's socket descriptors counted before and after).
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';
import {
  exchange,
  startDeaf,
  startEcho,
  startFinFirst,
  startResetting,
  type TcpServer,
} from './tcp-fixture.js';

/** A connected client socket (from `localAddress` when given) and what it has read so far. */
async function open(port: number, localAddress?: string) {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true, localAddress });
  socket.on('error', () => {});
  const state = { data: '', ended: false, closed: false, socket };
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    state.data += d;
  });
  socket.on('end', () => {
    state.ended = true;
  });
  socket.on('close', () => {
    state.closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return state;
}

/** Socket descriptors the process holds (Linux /proc). */
function socketCount(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed while listing
    }
  }
  return n;
}

describe('TCP connection lifecycle', () => {
  let echoA: TcpServer;
  let echoB: TcpServer;
  let finFirst: Awaited<ReturnType<typeof startFinFirst>>;
  let resetting: TcpServer;
  let deaf: TcpServer;
  let whoami: WhoamiServer;
  let sy: Running;
  let dir: string;

  const dynamic = (reloadTarget: TcpServer) => `
tcp:
  routers:
    quiet:
      rule: "HostSNI(\`quiet.test\`)"
      entryPoints: [quiet, forever]
      tls: { passthrough: true }
      service: a
    reload:
      rule: "HostSNI(\`*\`)"
      entryPoints: [reload]
      service: reloaded
    allow:
      rule: "HostSNI(\`*\`)"
      entryPoints: [allow]
      middlewares: [only-two]
      service: a
    inflight:
      rule: "HostSNI(\`*\`)"
      entryPoints: [inflight]
      middlewares: [one-each]
      service: a
    finfirst:
      rule: "HostSNI(\`*\`)"
      entryPoints: [finfirst]
      service: finfirst
    resetting:
      rule: "HostSNI(\`*\`)"
      entryPoints: [resetting]
      service: resetting
    deaf:
      rule: "HostSNI(\`*\`)"
      entryPoints: [deaf]
      service: deaf
  middlewares:
    only-two:
      ipAllowList: { sourceRange: ["127.0.0.2/32"] }
    one-each:
      inFlightConn: { amount: 1 }
  services:
    a:
      loadBalancer: { servers: [{ address: "${echoA.address}" }] }
    reloaded:
      loadBalancer: { servers: [{ address: "${reloadTarget.address}" }] }
    finfirst:
      loadBalancer:
        serversTransport: patient
        servers: [{ address: "${finFirst.address}" }]
    resetting:
      loadBalancer: { servers: [{ address: "${resetting.address}" }] }
    deaf:
      loadBalancer: { servers: [{ address: "${deaf.address}" }] }
  serversTransports:
    patient:
      terminationDelay: -1
http:
  routers:
    web:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [forever]
      service: web
  services:
    web:
      loadBalancer: { servers: [{ url: "http://127.0.0.1:${whoami.port}" }] }
`;

  before(async () => {
    echoA = await startEcho('a');
    echoB = await startEcho('b');
    finFirst = await startFinFirst();
    resetting = await startResetting();
    deaf = await startDeaf();
    whoami = await startWhoami({ name: 'web' });
    dir = tempDir();
    writeFile(dir, 'dynamic.yml', dynamic(echoA));
    const eps = [
      'quiet',
      'forever',
      'reload',
      'allow',
      'inflight',
      'finfirst',
      'resetting',
      'deaf',
      'traefik',
    ];
    const flags = eps.map((ep) => `--entryPoints.${ep}.address=127.0.0.1:0`);
    sy = await startSwitchyard(
      [
        ...flags,
        '--entryPoints.quiet.transport.respondingTimeouts.readTimeout=300ms',
        '--entryPoints.forever.transport.respondingTimeouts.readTimeout=0',
        `--providers.file.directory=${dir}`,
        '--metrics.prometheus=true',
        '--log.level=DEBUG',
      ],
      { expectEntryPoints: eps },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    for (const s of [echoA, echoB, finFirst, resetting, deaf]) await s?.close();
    await whoami?.close();
  });

  const port = (ep: string) => sy.ports.get(ep)!;

  it('closes a connection that sends nothing after readTimeout; readTimeout 0 never does', async () => {
    const forever = await open(port('forever'));
    const quiet = await open(port('quiet'));
    await eventually(() => quiet.ended);
    assert.equal(quiet.data, '');
    await sy.waitFor(/nothing routable received within readTimeout.*entryPoint=quiet/);
    // The unbounded one is still open: it can still send its request and get the answer.
    assert.equal(forever.ended, false);
    forever.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await eventually(() => forever.ended);
    assert.match(forever.data, /^HTTP\/1\.1 200[\s\S]*Name: web/);
    for (const c of [forever, quiet]) c.socket.destroy();
  });

  it('a reload leaves established connections on their generation; new ones use the new table', async () => {
    const before = await open(port('reload'));
    before.socket.write('one');
    await eventually(() => before.data === 'a:one');
    writeFile(dir, 'dynamic.yml', dynamic(echoB));
    await sy.waitFor(/configuration applied.*generation=3/);
    const fresh = await exchange(port('reload'), 'two', { until: (d) => d.endsWith('two') });
    assert.equal(fresh.data, 'b:two');
    before.socket.write('three');
    await eventually(() => before.data === 'a:onethree');
    assert.equal(before.closed, false);
    before.socket.destroy();
  });

  it('traefik_open_connections counts TCP router connections with protocol TCP, as Traefik', async () => {
    const gauge = async () => {
      const text = (await request(`http://127.0.0.1:${port('traefik')}/metrics`)).body;
      return /traefik_open_connections\{entrypoint="reload",protocol="TCP"\} (\d+)/.exec(text)?.[1] ?? '0';
    };
    const held = [await open(port('reload')), await open(port('reload'))];
    await eventually(async () => (await gauge()) === '2');
    for (const c of held) c.socket.destroy();
    await eventually(async () => (await gauge()) === '0');
  });

  it('ipAllowList closes a client outside its range and serves one inside', async () => {
    const refused = await exchange(port('allow'), 'x');
    assert.equal(refused.data, '');
    assert.equal(refused.closed, true);
    const allowed = await open(port('allow'), '127.0.0.2');
    allowed.socket.write('y');
    await eventually(() => allowed.data === 'a:y');
    allowed.socket.destroy();
  });

  it('inFlightConn closes connections past its amount per client, and serves again once one ends', async () => {
    const first = await open(port('inflight'));
    first.socket.write('1');
    await eventually(() => first.data === 'a:1');
    const second = await exchange(port('inflight'), '2');
    assert.equal(second.data, '');
    assert.equal(second.closed, true);
    first.socket.destroy();
    await eventually(
      async () => (await exchange(port('inflight'), '3', { until: (d) => d.endsWith('3') })).data === 'a:3',
    );
  });

  it('half-close from the server: the client gets its FIN and may still send', async () => {
    const c = await open(port('finfirst'));
    await eventually(() => c.ended);
    assert.equal(c.data, 'bye');
    c.socket.end('late data');
    await eventually(() => finFirst.clientEnded);
    assert.equal(finFirst.received, 'late data'.length);
    await eventually(() => c.closed);
  });

  it('peers that vanish, reset or stay silent leave no socket behind', async () => {
    const pid = sy.proc.pid!;
    const baseline = socketCount(pid);
    // A client that resets mid-stream.
    const gone = await open(port('resetting'));
    gone.socket.write('hi');
    await eventually(() => gone.data === 'hi');
    gone.socket.resetAndDestroy();
    // A server that resets: its client is closed.
    const victim = await open(port('resetting'));
    victim.socket.write('die');
    await eventually(() => victim.ended || victim.closed);
    // A server that never closes after the client's FIN: terminationDelay (100 ms by default) ends it.
    const halfDone = await open(port('deaf'));
    halfDone.socket.end();
    await eventually(() => halfDone.ended);
    // Silent clients: closed by the peek timeout.
    const silent = await Promise.all([open(port('quiet')), open(port('quiet')), open(port('quiet'))]);
    await eventually(() => silent.every((s) => s.ended));
    for (const s of [victim, halfDone, ...silent]) s.socket.destroy();
    await eventually(() => socketCount(pid) <= baseline);
  });
});
