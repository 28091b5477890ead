/**
 * Transparent mode for real: in a network namespace the test creates, an iptables `REDIRECT` rule sends
 * a client's connection to 192.0.2.2:80 to Switchyard's transparent entrypoint, which reads the original
 * destination from the kernel (SO_ORIGINAL_DST through koffi) and forwards to the server that really
 * listens there. Needs root (namespaces, iptables); CI runs as root.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, whoamiHeader, whoamiName } from '../helpers/http.js';
import { createNetns, type Netns, netnsUnavailable } from '../helpers/netns.js';
import type { ServerProcess } from '../helpers/server-process.js';

const unavailable = netnsUnavailable();
const MESH_PORT = 15001;
const TPROXY_PORT = 15002;

/** `iptables ...` inside the namespace, written as one string. */
const iptables = (ns: Netns, rule: string) => ns.run('iptables', rule.split(' '));

/**
 * Starts, inside `ns`, a whoami server named `name` on `host:80` and Switchyard with one transparent
 * entrypoint `mesh` (`entryPoint`: its YAML body) whose only router sends everything to an
 * `originalDestination` service.
 */
async function startMesh(ns: Netns, host: string, name: string, entryPoint: string, extra = '') {
  const origin = ns.spawn(process.execPath, [BIN, 'whoami', '--port', '80', '--host', host, '--name', name]);
  await eventually(() => /whoami listening/.test(origin.output()));
  const dir = tempDir();
  const dynamic = writeFile(
    dir,
    'dynamic.yml',
    `
http:
  routers:
    mesh:
      rule: "PathPrefix(\`/\`)"
      service: passthrough
  services:
    passthrough:
      originalDestination: {}
`,
  );
  const config = writeFile(
    dir,
    'switchyard.yml',
    `
entryPoints:
  mesh:
${entryPoint}
${extra}
providers:
  file:
    filename: ${dynamic}
`,
  );
  const sy = await startSwitchyard([`--configFile=${config}`], {
    expectEntryPoints: ['mesh'],
    prefix: ns.prefix,
  });
  await sy.waitFor(/configuration applied.*routers=1/);
  return { origin, sy };
}

describe('transparent entrypoint behind iptables REDIRECT', { skip: unavailable }, () => {
  let ns: Netns;
  let origin: ServerProcess | undefined;
  let sy: Running | undefined;
  const accessLog = join(tempDir(), 'access.json');

  /** curl from the client address inside the namespace: `status body`. */
  const curl = async (url: string, headers: string[] = []) => {
    const args = ['-s', '-m', '20', '--interface', ns.clientIp, '-w', '\n%{http_code}', url];
    for (const h of headers) args.unshift('-H', h);
    const out = await ns.run('curl', args);
    const cut = out.lastIndexOf('\n');
    return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
  };

  before(async () => {
    ns = await createNetns();
    ({ origin, sy } = await startMesh(
      ns,
      ns.serverIp,
      'origin',
      `    address: "127.0.0.1:${MESH_PORT}"
    transparent:
      mode: redirect`,
      `accessLog:
  filePath: ${accessLog}
  format: json
  fields:
    headers:
      names:
        X-Original-Destination: keep`,
    ));
    // Connections from the client address to the server address go to Switchyard instead.
    await iptables(
      ns,
      `-t nat -A OUTPUT -p tcp -s ${ns.clientIp} -d ${ns.serverIp} -j REDIRECT --to-ports ${MESH_PORT}`,
    );
  });

  after(async () => {
    await sy?.stop();
    await origin?.stop();
    await ns?.destroy();
  });

  it('forwards an HTTP request to where the client was going, and tells the server', async () => {
    const res = await curl(`http://${ns.serverIp}/hello`, ['X-Original-Destination: 203.0.113.9:1']);
    assert.equal(res.status, 200);
    assert.equal(whoamiName(res.body), 'origin');
    assert.equal(whoamiHeader(res.body, 'X-Original-Destination'), `${ns.serverIp}:80`);
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-For'), ns.clientIp);
    await eventually(() =>
      readFileSync(accessLog, 'utf8').includes(`"request_X-Original-Destination":"${ns.serverIp}:80"`),
    );
  });

  it('answers 502 when the original destination refuses, and keeps serving', async () => {
    assert.equal((await curl(`http://${ns.serverIp}:81/`)).status, 502);
    assert.equal((await curl(`http://${ns.serverIp}/again`)).status, 200);
  });

  it('never forwards a connection made to Switchyard itself back to itself', async () => {
    const res = await ns.run('curl', [
      '-s',
      '-m',
      '20',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `http://127.0.0.1:${MESH_PORT}/`,
    ]);
    assert.equal(res, '502');
  });
});

describe('transparent entrypoint behind iptables TPROXY', { skip: unavailable }, () => {
  const target = '198.51.100.10';
  let ns: Netns;
  let origin: ServerProcess | undefined;
  let sy: Running | undefined;

  before(async () => {
    // The client lives in its own namespace so its packets enter through PREROUTING, where TPROXY acts.
    ns = await createNetns({ separateClient: true });
    await ns.run('ip', ['addr', 'add', `${target}/32`, 'dev', 'lo']);
    ({ origin, sy } = await startMesh(
      ns,
      target,
      'tproxied',
      `    address: "0.0.0.0:${TPROXY_PORT}"
    transparent:
      mode: tproxy`,
    ));
    await iptables(
      ns,
      `-t mangle -A PREROUTING -i vb -p tcp -d ${target} --dport 80 -j TPROXY --on-port ${TPROXY_PORT} --tproxy-mark 1`,
    );
    await ns.run('ip', ['rule', 'add', 'fwmark', '1', 'lookup', '100']);
    await ns.run('ip', ['route', 'add', 'local', '0.0.0.0/0', 'dev', 'lo', 'table', '100']);
  });

  after(async () => {
    await sy?.stop();
    await origin?.stop();
    await ns?.destroy();
  });

  it('takes the original destination from the accepted socket and forwards there', async () => {
    const out = await ns.client!.run('curl', ['-s', '-m', '20', `http://${target}/tp`]);
    assert.equal(whoamiName(out), 'tproxied');
    assert.equal(whoamiHeader(out, 'X-Original-Destination'), `${target}:80`);
    assert.equal(whoamiHeader(out, 'X-Forwarded-For'), ns.clientIp);
  });
});

describe('transparent entrypoint behind ip6tables REDIRECT (IPv6)', { skip: unavailable }, () => {
  const MESH6_PORT = 15003;
  const client = '2001:db8::1';
  const server = '2001:db8::2';
  let ns: Netns;
  let origin: ServerProcess | undefined;
  let sy: Running | undefined;

  before(async () => {
    ns = await createNetns();
    await ns.run('ip', ['-6', 'addr', 'add', `${client}/64`, 'dev', 'va', 'nodad']);
    await ns.run('ip', ['-6', 'addr', 'add', `${server}/64`, 'dev', 'vb', 'nodad']);
    ({ origin, sy } = await startMesh(
      ns,
      server,
      'origin6',
      `    address: "[::1]:${MESH6_PORT}"
    transparent: {}`,
    ));
    await ns.run('ip6tables', [
      ...`-t nat -A OUTPUT -p tcp -s ${client} -d ${server} -j REDIRECT --to-ports ${MESH6_PORT}`.split(' '),
    ]);
  });

  after(async () => {
    await sy?.stop();
    await origin?.stop();
    await ns?.destroy();
  });

  it('reads IP6T_SO_ORIGINAL_DST and forwards to the IPv6 destination', async () => {
    const out = await ns.run('curl', [
      '-s',
      '-m',
      '20',
      '-g',
      '--interface',
      client,
      `http://[${server}]/six`,
    ]);
    assert.equal(whoamiName(out), 'origin6');
    assert.equal(whoamiHeader(out, 'X-Original-Destination'), `[${server}]:80`);
    assert.equal(whoamiHeader(out, 'X-Forwarded-For'), client);
  });
});
