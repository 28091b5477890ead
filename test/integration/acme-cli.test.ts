import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Pebble, startPebble } from '../../src/tls/acme/pebble-fixture.js';
import { getRequest, tlsExchange } from '../../src/tls/tls-fixtures.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/http.js';

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
      `
http:
  routers:
    app:
      rule: "Host(\`app.test\`) || Host(\`www.app.test\`)"
      entryPoints: [websecure]
      tls:
        certResolver: le
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
`,
    );
    const sy = await startSwitchyard(
      [
        `--entryPoints.web.address=127.0.0.1:${webPort}`,
        '--entryPoints.websecure.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        '--certificatesResolvers.le.acme.email=ops@example.test',
        `--certificatesResolvers.le.acme.caServer=${pebble.directoryUrl}`,
        `--certificatesResolvers.le.acme.storage=${join(dir, 'acme.json')}`,
        '--certificatesResolvers.le.acme.keyType=EC256',
        '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
      ],
      { expectEntryPoints: ['web', 'websecure'], env: { LEGO_CA_CERTIFICATES: pebble.caFile } },
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
  const stored = () => {
    const file = JSON.parse(readFileSync(join(dir, 'acme.json'), 'utf8'));
    const [entry] = file.le.Certificates;
    return { entry, leaf: new X509Certificate(Buffer.from(entry.certificate, 'base64').toString()) };
  };

  it('orders the certificate for the hosts of the rule and serves it once issued', async () => {
    const sy = await start();
    const port = sy.ports.get('websecure')!;
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const { entry, leaf } = stored();
    assert.deepEqual(entry.domain, { main: 'app.test', sans: ['www.app.test'] });
    assert.match(leaf.issuer, /Pebble Intermediate/);
    await eventually(async () => (await served(port, 'app.test')).fingerprint === leaf.fingerprint256);
    assert.deepEqual(await served(port, 'www.app.test'), { fingerprint: leaf.fingerprint256, status: '200' });
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
