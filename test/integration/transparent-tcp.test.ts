/**
 * Transparent mode for raw TCP, for real: in a network namespace the test creates, an iptables
 * `REDIRECT` rule sends every connection from the client address to the server address to Switchyard's
 * transparent entrypoint. Its routers: a plain `HostSNI(*)` TCP router and a TLS passthrough one, both to
 * a TCP `originalDestination` service, and an HTTP router to the HTTP one. One port, three protocols
 * detected: TLS (passthrough), HTTP/1 (HTTP routers) and anything else, server-first protocols included
 * (TCP). Needs root (namespaces, iptables); CI runs as root.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { selfSignedCert } from '../helpers/certs.js';
import { BIN, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, whoamiHeader, whoamiName } from '../helpers/http.js';
import { createNetns, type Netns, netnsUnavailable } from '../helpers/netns.js';
import type { ServerProcess } from '../helpers/server-process.js';

const unavailable = netnsUnavailable();
const MESH_PORT = 15011;

/**
 * The destination servers, run by node inside the namespace: on :25 a server-first one (a `220` banner,
 * then every byte echoed), on :443 TLS (`tls-origin:` then an echo). Prints `listening` twice.
 */
const ORIGINS = `
const net = require('node:net'), tls = require('node:tls'), fs = require('node:fs');
const [host, cert, key] = process.argv.slice(1);
const banner = (s) => { s.on('error', () => {}); s.write('220 origin ready\\r\\n'); s.pipe(s); };
net.createServer(banner).listen(25, host, () => console.log('listening'));
const opts = { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
tls.createServer(opts, (s) => { s.on('error', () => {}); s.write('tls-origin:'); s.pipe(s); })
  .listen(443, host, () => console.log('listening'));
`;

/**
 * A client run inside the namespace: connects from \`local\` (over TLS with \`tls\`), writes \`send\`
 * once connected, and prints what came back as JSON once it contains \`until\` or the peer closed
 * (bounded at 10 s).
 */
const CLIENT = `
const net = require('node:net'), tls = require('node:tls');
const [host, port, local, send, useTls, until] = process.argv.slice(1);
const o = { host, port: Number(port), localAddress: local, rejectUnauthorized: false, servername: 'tls.test' };
const s = useTls === 'tls' ? tls.connect(o) : net.connect(o);
let data = '', done = false;
const end = (closed) => { if (done) return; done = true; console.log(JSON.stringify({ data, closed })); process.exit(0); };
setTimeout(() => end(false), 10000);
s.on(useTls === 'tls' ? 'secureConnect' : 'connect', () => { if (send) s.write(send); });
s.on('data', (d) => { data += d; if (until && data.includes(until)) end(false); });
s.on('error', () => {}); s.on('close', () => end(true));
`;

describe('transparent entrypoint: TCP, TLS and HTTP on one port behind iptables REDIRECT', {
  skip: unavailable,
}, () => {
  let ns: Netns;
  const peers: ServerProcess[] = [];
  let sy: Running | undefined;

  /** Runs CLIENT inside the namespace from the client address, to the server address unless `to`. */
  const connect = async (
    port: number,
    send: string,
    until: string,
    opts: { tls?: boolean; to?: string } = {},
  ) => {
    const host = opts.to ?? ns.serverIp;
    const args = ['-e', CLIENT, host, String(port), ns.clientIp, send, opts.tls ? 'tls' : '', until];
    return JSON.parse(await ns.run(process.execPath, args)) as { data: string; closed: boolean };
  };

  before(async () => {
    ns = await createNetns();
    const dir = tempDir();
    const cert = await selfSignedCert({ dnsNames: ['tls.test'] });
    writeFile(dir, 'origin.crt', cert.cert);
    writeFile(dir, 'origin.key', cert.key);
    const origins = ns.spawn(process.execPath, [
      '-e',
      ORIGINS,
      ns.serverIp,
      `${dir}/origin.crt`,
      `${dir}/origin.key`,
    ]);
    peers.push(origins);
    const who = ns.spawn(process.execPath, [
      BIN,
      'whoami',
      '--port',
      '80',
      '--host',
      ns.serverIp,
      '--name',
      'web',
    ]);
    peers.push(who);
    await eventually(
      () => origins.output().split('listening').length === 3 && /whoami listening/.test(who.output()),
    );
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
tcp:
  routers:
    mesh-tcp:
      rule: "HostSNI(\`*\`)"
      service: to-origin
    mesh-tls:
      rule: "HostSNI(\`*\`)"
      tls: { passthrough: true }
      service: to-origin
  services:
    to-origin:
      originalDestination:
        serversTransport: impatient
  serversTransports:
    impatient:
      dialTimeout: 2s
http:
  routers:
    mesh-http:
      rule: "PathPrefix(\`/\`)"
      service: http-origin
  services:
    http-origin:
      originalDestination: {}
`,
    );
    const flags = [
      `--entryPoints.mesh.address=127.0.0.1:${MESH_PORT}`,
      '--entryPoints.mesh.transparent.mode=redirect',
      `--providers.file.filename=${dynamic}`,
    ];
    sy = await startSwitchyard(flags, { expectEntryPoints: ['mesh'], prefix: ns.prefix });
    // Generation 1 is the empty one the entrypoints start with (its HTTP side answers 404 to everything);
    // the file provider's routers arrive with generation 2.
    await sy.waitFor(/configuration applied.*generation=2\b/);
    const iptables = (rule: string) => ns.run('iptables', rule.split(' '));
    await iptables(
      `-t nat -A OUTPUT -p tcp -s ${ns.clientIp} -d ${ns.serverIp} -j REDIRECT --to-ports ${MESH_PORT}`,
    );
    // Switchyard's own connections to port 9 are dropped: a destination that never answers.
    await iptables(`-A OUTPUT -p tcp -d ${ns.serverIp} --dport 9 -j DROP`);
  });

  after(async () => {
    await sy?.stop();
    for (const p of peers) await p.stop();
    await ns?.destroy();
  });

  it('a server-first protocol: the client says nothing and gets the destination banner', async () => {
    const r = await connect(25, '', 'ready');
    assert.equal(r.data, '220 origin ready\r\n');
  });

  it('other bytes go to the TCP router and reach the destination as they are', async () => {
    const r = await connect(25, '\u0001\u0002bin', 'bin');
    assert.equal(r.data, '220 origin ready\r\n\u0001\u0002bin');
  });

  it('HTTP/1 on the same port goes to the HTTP routers (the original destination header shows it)', async () => {
    const out = await ns.run('curl', [
      '-s',
      '-m',
      '20',
      '--interface',
      ns.clientIp,
      `http://${ns.serverIp}/x`,
    ]);
    assert.equal(whoamiName(out), 'web');
    assert.equal(whoamiHeader(out, 'X-Original-Destination'), `${ns.serverIp}:80`);
  });

  it('TLS on the same port is passed through to the destination', async () => {
    const r = await connect(443, 'secret', 'secret', { tls: true });
    assert.equal(r.data, 'tls-origin:secret');
  });

  it('a destination that never answers: dialTimeout closes the client with a log line', async () => {
    const r = await connect(9, 'x', '');
    assert.deepEqual(r, { data: '', closed: true });
    await sy!.waitFor(/error while dialing backend.*timeout after 2000 ms/);
  });

  it('a TCP connection made to Switchyard itself is closed, never forwarded back to it', async () => {
    const r = await connect(MESH_PORT, 'hello', '', { to: '127.0.0.1' });
    assert.deepEqual(r, { data: '', closed: true });
  });
});
