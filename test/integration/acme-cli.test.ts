import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmodSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { getRequest, tlsExchange } from '../../src/tls/test-tls-fixtures.js';
import {
  type AcmeSite,
  resolverArgs,
  resolverRouter,
  startAcmeSite,
  startWithPebble,
  storedCertificate,
  storedLeaf,
} from '../helpers/acme-cli.js';
import { type Running, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually, request } from '../helpers/http.js';
import { type Pebble, startPebble } from '../helpers/pebble.js';

describe('ACME through the CLI: a router with tls.certResolver gets a certificate from pebble (HTTP-01)', () => {
  let backend: WhoamiServer;
  let pebble: Pebble;
  let dir: string;
  let webPort: number;
  const running: Running[] = [];

  before(async () => {
    backend = await startWhoami({ name: 'acme-backend' });
    webPort = await freePort();
    pebble = await startPebble({ httpPort: webPort });
    dir = tempDir();
  });

  after(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await pebble?.stop();
    await backend?.close();
  });

  async function start(): Promise<Running> {
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      resolverRouter('Host(`app.test`) || Host(`www.app.test`)', 'le', backend.port, ['websecure']),
    );
    const sy = await startWithPebble(
      [
        `--entryPoints.web.address=127.0.0.1:${webPort}`,
        '--entryPoints.websecure.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        '--certificatesResolvers.le.acme.email=ops@example.test',
        ...resolverArgs('le', pebble, dir),
        '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
        '--entryPoints.traefik.address=127.0.0.1:0',
        '--api.insecure=true',
        '--metrics.prometheus=true',
      ],
      pebble,
      ['web', 'websecure', 'traefik'],
    );
    running.push(sy);
    return sy;
  }

  /** The fingerprint of the certificate Switchyard serves for `servername`, and the response status. */
  const served = async (port: number, servername: string) => {
    const got = await tlsExchange(port, { servername, send: getRequest(servername) });
    return { fingerprint: got.fingerprint, status: got.data.split(' ')[1] };
  };
  /** The certificate stored in acme.json for app.test. */
  const stored = () => storedCertificate(dir, 'le')!;

  it('orders the certificate for the hosts of the rule and serves it once issued', async () => {
    const sy = await start();
    const port = sy.ports.get('websecure')!;
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const { entry, leaf } = stored();
    assert.deepEqual(entry.domain, { main: 'app.test', sans: ['www.app.test'] });
    assert.match(leaf.issuer, /Pebble Intermediate/);
    await eventually(async () => (await served(port, 'app.test')).fingerprint === leaf.fingerprint256);
    assert.deepEqual(await served(port, 'www.app.test'), { fingerprint: leaf.fingerprint256, status: '200' });

    // The API, the dashboard's TLS panel and the metrics show the certificate and its resolver.
    const api = async (path: string) => JSON.parse((await request(sy.url('traefik', path))).body);
    await eventually(async () => (await api('/api/overview')).tls?.certificates === 1);
    assert.deepEqual((await api('/api/overview')).tls, {
      certificates: 1,
      options: ['default'],
      certResolvers: ['le'],
    });
    const router = await api('/api/http/routers/app@file');
    assert.deepEqual(router.tls, { certResolver: 'le', options: 'default' });
    assert.deepEqual(router.tlsCertificate, {
      subject: leaf.subject,
      sans: ['app.test', 'www.app.test'],
      notAfter: new Date(leaf.validTo).toISOString(),
      serial: leaf.serialNumber.toUpperCase(),
      resolver: 'le',
    });
    const metrics = (await request(sy.url('traefik', '/metrics'))).body;
    const notAfter = Math.floor(Date.parse(leaf.validTo) / 1000);
    assert.match(
      metrics,
      new RegExp(
        `traefik_tls_certs_not_after\\{cn="[^"]*",serial="${BigInt(`0x${leaf.serialNumber}`)}",sans="app\\.test,www\\.app\\.test"\\} ${notAfter}`,
      ),
    );
    await sy.stop();
  });

  it('serves the stored certificate after a restart without ordering again', async () => {
    const sy = await start();
    await sy.waitFor(/configuration applied.*generation=2/);
    const port = sy.ports.get('websecure')!;
    assert.equal((await served(port, 'app.test')).fingerprint, stored().leaf.fingerprint256);
    assert.doesNotMatch(sy.output(), /ACME certificate obtained|ACME account registered/);
  });
});

describe('ACME through the CLI: tlsChallenge (TLS-ALPN-01 answered on the HTTPS entrypoint)', () => {
  let site: AcmeSite;

  before(async () => {
    site = await startAcmeSite({
      backendName: 'alpn-backend',
      host: 'alpn.test',
      resolver: 'alpn',
      challenge: 'tls',
    });
  });

  after(() => site?.stop());

  it('obtains the certificate by TLS-ALPN-01 and serves it', async () => {
    const { sy, dir, securePort } = site;
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const leaf = storedLeaf(dir, 'alpn')!;
    assert.match(leaf.issuer, /Pebble Intermediate/);
    await eventually(async () => {
      const got = await tlsExchange(securePort, { servername: 'alpn.test', send: getRequest('alpn.test') });
      return got.fingerprint === leaf.fingerprint256 && got.data.startsWith('HTTP/1.1 200');
    });
  });

  it('refuses an acme-tls/1 handshake for a name under no validation', async () => {
    await assert.rejects(
      tlsExchange(site.securePort, { servername: 'other.test', ALPNProtocols: ['acme-tls/1'] }),
    );
  });
});

describe('ACME through the CLI: dnsChallenge with the exec and httpreq providers, wildcard certificates', () => {
  let backend: WhoamiServer;
  let pebble: Pebble;
  let sy: Running;
  let dir: string;
  let httpreq: http.Server;
  const received: { path: string; body: { fqdn: string; value: string } }[] = [];

  before(async () => {
    backend = await startWhoami({ name: 'dns-backend' });
    pebble = await startPebble({ httpPort: await freePort(), tlsPort: await freePort() });
    dir = tempDir();
    // The user's side of each provider: a script (exec) and a web hook (httpreq) that publish the TXT
    // record in the DNS server pebble asks (pebble-challtestsrv's management API).
    const script = writeFile(
      dir,
      'dns-hook.sh',
      `#!/bin/sh
case "$1" in
  present) curl -sf -X POST -d "{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" ${pebble.dnsManagementUrl}/set-txt ;;
  cleanup) curl -sf -X POST -d "{\\"host\\":\\"$2\\"}" ${pebble.dnsManagementUrl}/clear-txt ;;
esac
`,
    );
    chmodSync(script, 0o755);
    httpreq = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', async () => {
        const body = JSON.parse(text) as { fqdn: string; value: string };
        received.push({ path: req.url ?? '', body });
        const action = req.url === '/present' ? 'set-txt' : 'clear-txt';
        const upstream = await fetch(`${pebble.dnsManagementUrl}/${action}`, {
          method: 'POST',
          body: JSON.stringify({ host: body.fqdn, value: body.value }),
        });
        res.writeHead(upstream.ok ? 200 : 500).end();
      });
    });
    httpreq.listen(0, '127.0.0.1');
    await once(httpreq, 'listening');
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    byexec:
      rule: "Host(\`app.exec.test\`)"
      tls:
        certResolver: viaexec
        domains:
          - main: "*.exec.test"
            sans: [exec.test]
      service: s
    byhttpreq:
      rule: "Host(\`hook.test\`)"
      tls:
        certResolver: viahttpreq
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
`,
    );
    const resolver = (name: string, provider: string) => [
      ...resolverArgs(name, pebble, dir),
      `--certificatesResolvers.${name}.acme.dnsChallenge.provider=${provider}`,
    ];
    sy = await startWithPebble(
      [
        '--entryPoints.websecure.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        ...resolver('viaexec', 'exec'),
        ...resolver('viahttpreq', 'httpreq'),
      ],
      pebble,
      ['websecure'],
      { EXEC_PATH: script, HTTPREQ_ENDPOINT: `http://127.0.0.1:${(httpreq.address() as AddressInfo).port}` },
    );
  });

  after(async () => {
    await sy?.stop();
    httpreq?.close();
    await pebble?.stop();
    await backend?.close();
  });

  it('exec: a wildcard certificate (main *.exec.test, sans exec.test) serves every name under it', async () => {
    await eventually(() => storedLeaf(dir, 'viaexec') !== undefined, 60_000);
    const leaf = storedLeaf(dir, 'viaexec')!;
    assert.match(leaf.subjectAltName ?? '', /DNS:\*\.exec\.test/);
    for (const name of ['app.exec.test', 'other.exec.test']) {
      await eventually(
        async () =>
          (await tlsExchange(sy.ports.get('websecure')!, { servername: name, send: getRequest(name) }))
            .fingerprint === leaf.fingerprint256,
      );
    }
    const got = await tlsExchange(sy.ports.get('websecure')!, {
      servername: 'app.exec.test',
      send: getRequest('app.exec.test'),
    });
    assert.match(got.data, /^HTTP\/1\.1 200/);
  });

  it('httpreq: presents then cleans up the TXT record through the web hook', async () => {
    await eventually(() => storedLeaf(dir, 'viahttpreq') !== undefined, 60_000);
    assert.deepEqual(
      received.map((r) => [r.path, r.body.fqdn]),
      [
        ['/present', '_acme-challenge.hook.test.'],
        ['/cleanup', '_acme-challenge.hook.test.'],
      ],
    );
    assert.match(received[0]!.body.value, /^[A-Za-z0-9_-]{43}$/);
    const leaf = storedLeaf(dir, 'viahttpreq')!;
    await eventually(
      async () =>
        (
          await tlsExchange(sy.ports.get('websecure')!, {
            servername: 'hook.test',
            send: getRequest('hook.test'),
          })
        ).fingerprint === leaf.fingerprint256,
    );
  });
});
