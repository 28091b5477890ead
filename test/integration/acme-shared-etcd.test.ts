import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { EtcdAcmeBackend } from '../../src/tls/acme/kv-etcd.js';
import { getRequest, tlsExchange } from '../../src/tls/test-tls-fixtures.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { type EtcdServer, startEtcd } from '../helpers/etcd.js';
import { freePort } from '../helpers/free-port.js';
import { type Haproxy, startHaproxy } from '../helpers/haproxy.js';
import { eventually } from '../helpers/http.js';
import { type Pebble, startPebble } from '../helpers/pebble.js';

const ROOT = 'switchyard/acme-it';

/** Routers of the three instances (one dynamic file they all read). */
const dynamicConfig = (backendPort: number, hosts: string[]) => `
http:
  routers:
${hosts
  .map(
    (h) => `    r-${h.replaceAll('.', '-')}:
      rule: "Host(\`${h}\`)"
      entryPoints: [websecure]
      tls:
        certResolver: le
      service: s`,
  )
  .join('\n')}
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backendPort}"
`;

describe('three instances share one ACME storage in etcd (pebble behind HAProxy for HTTP-01)', () => {
  let etcd: EtcdServer;
  let pebble: Pebble;
  let haproxy: Haproxy;
  let backend: WhoamiServer;
  let dynamic: string;
  const instances: Running[] = [];
  const alive = () => instances.filter((sy) => sy.proc.exitCode === null && sy.proc.signalCode === null);
  const count = (re: RegExp) =>
    instances.reduce(
      (n, sy) =>
        n +
        sy
          .output()
          .split('\n')
          .filter((l) => re.test(l)).length,
      0,
    );

  before(async () => {
    etcd = await startEtcd();
    backend = await startWhoami({ name: 'shared-backend' });
    const webPorts = await Promise.all([freePort(), freePort(), freePort()]);
    // The load balancer in front of the instances: the CA's validation reaches any one of them.
    haproxy = await startHaproxy(
      (port) => `
defaults
  retries 3
  option redispatch
frontend fe
  bind 127.0.0.1:${port}
  default_backend web
backend web
  balance roundrobin
${webPorts.map((p, i) => `  server web${i} 127.0.0.1:${p}`).join('\n')}
`,
    );
    // Certificates live 21 minutes: with certificatesDuration 1 (hour) they are renewed 20 minutes ahead.
    pebble = await startPebble({ httpPort: haproxy.port, certificateValidityPeriod: 21 * 60 });
    const dir = tempDir();
    dynamic = writeFile(dir, 'dynamic.yml', dynamicConfig(backend.port, ['app.test']));
    const started = await Promise.all(
      webPorts.map((webPort) =>
        startSwitchyard(
          [
            `--entryPoints.web.address=127.0.0.1:${webPort}`,
            '--entryPoints.websecure.address=127.0.0.1:0',
            `--providers.file.filename=${dynamic}`,
            `--certificatesResolvers.le.acme.caServer=${pebble.directoryUrl}`,
            '--certificatesResolvers.le.acme.keyType=EC256',
            '--certificatesResolvers.le.acme.certificatesDuration=1',
            '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
            `--certificatesResolvers.le.acme.sharedStorage.etcd.endpoints=${etcd.endpoint}`,
            `--certificatesResolvers.le.acme.sharedStorage.rootKey=${ROOT}`,
          ],
          {
            startMs: 60_000,
            expectEntryPoints: ['web', 'websecure'],
            env: { LEGO_CA_CERTIFICATES: pebble.caFile },
          },
        ),
      ),
    );
    instances.push(...started);
  });

  after(async () => {
    await Promise.all(alive().map((sy) => sy.stop()));
    await haproxy?.stop();
    await pebble?.stop();
    await backend?.close();
    await etcd?.destroy();
  });

  /** The certificate for `main` in etcd, as Traefik's acme.json entry. */
  const stored = async (main: string) => {
    const kv = new EtcdAcmeBackend({ endpoints: [etcd.endpoint] });
    try {
      const text = await kv.get(`${ROOT}/le/certificates/${main}`);
      if (!text) return undefined;
      const entry = JSON.parse(text);
      return new X509Certificate(Buffer.from(entry.certificate, 'base64').toString());
    } finally {
      await kv.close();
    }
  };
  const servedBy = async (sy: Running, host: string) => {
    const got = await tlsExchange(sy.ports.get('websecure')!, { servername: host, send: getRequest(host) });
    return { fingerprint: got.fingerprint, status: got.data.split(' ')[1] };
  };
  const allServe = (host: string, leaf: X509Certificate) =>
    eventually(async () => {
      for (const sy of alive()) {
        const got = await servedBy(sy, host);
        if (got.fingerprint !== leaf.fingerprint256 || got.status !== '200') return false;
      }
      return true;
    }, 30_000);

  it('makes exactly one order, and every instance serves the certificate', async () => {
    await eventually(() => count(/ACME certificate obtained/) >= 1, 120_000, 200);
    assert.equal(count(/ACME order started/), 1, 'one order among three instances');
    const leaf = await stored('app.test');
    assert.ok(leaf, 'the certificate is in etcd');
    assert.match(leaf.issuer, /Pebble Intermediate/);
    await allServe('app.test', leaf);
  });

  it('renews once ahead of expiry (short certificatesDuration), and every instance serves the new one', async () => {
    const first = (await stored('app.test'))!;
    await eventually(
      async () => (await stored('app.test'))?.serialNumber !== first.serialNumber,
      180_000,
      500,
    );
    const renewed = (await stored('app.test'))!;
    assert.ok(Date.parse(renewed.validTo) >= Date.parse(first.validTo));
    await allServe('app.test', renewed);
    assert.equal(count(/ACME order started.*app\.test/), count(/ACME certificate obtained.*app\.test/));
  });

  it('finishes an order on the other instances when the instance making it is killed', async () => {
    writeFileSync(dynamic, dynamicConfig(backend.port, ['app.test', 'late.test']));
    let owner: Running | undefined;
    await eventually(
      () => {
        owner = alive().find((sy) => /ACME order started.*late\.test/.test(sy.output()));
        return owner !== undefined;
      },
      60_000,
      20,
    );
    owner!.proc.kill('SIGKILL');
    await eventually(() => owner!.proc.signalCode === 'SIGKILL');
    assert.doesNotMatch(owner!.output(), /ACME certificate obtained.*late\.test/, 'killed during the order');
    await eventually(async () => (await stored('late.test')) !== undefined, 120_000, 500);
    assert.equal(alive().length, 2);
    await allServe('late.test', (await stored('late.test'))!);
  });
});
