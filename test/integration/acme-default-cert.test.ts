import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getRequest, tlsExchange } from '../../src/tls/test-tls-fixtures.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/http.js';
import { type Pebble, startPebble } from '../helpers/pebble.js';

describe('tls.stores.default.defaultGeneratedCert: the default certificate comes from an ACME resolver (pebble)', () => {
  let pebble: Pebble;
  let sy: Running;
  let dir: string;

  before(async () => {
    const webPort = await freePort();
    pebble = await startPebble({ httpPort: webPort });
    dir = tempDir();
    // No router asks for this resolver: only the store's default does.
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
tls:
  stores:
    default:
      defaultGeneratedCert:
        resolver: le
        domain:
          main: fallback.test
          sans: [other.fallback.test]
http:
  routers:
    app:
      rule: "Host(\`app.test\`)"
      tls: {}
      service: noop@internal
`,
    );
    sy = await startSwitchyard(
      [
        `--entryPoints.web.address=127.0.0.1:${webPort}`,
        '--entryPoints.websecure.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        `--certificatesResolvers.le.acme.caServer=${pebble.directoryUrl}`,
        `--certificatesResolvers.le.acme.storage=${join(dir, 'acme.json')}`,
        '--certificatesResolvers.le.acme.keyType=EC256',
        '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
      ],
      {
        startMs: 60_000,
        expectEntryPoints: ['web', 'websecure'],
        env: { LEGO_CA_CERTIFICATES: pebble.caFile },
      },
    );
  });

  after(async () => {
    await sy?.stop();
    await pebble?.stop();
  });

  it('orders the domain of defaultGeneratedCert and serves it without SNI and for unknown names', async () => {
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const file = JSON.parse(readFileSync(join(dir, 'acme.json'), 'utf8'));
    const [entry] = file.le.Certificates;
    assert.deepEqual(entry.domain, { main: 'fallback.test', sans: ['other.fallback.test'] });
    const leaf = new X509Certificate(Buffer.from(entry.certificate, 'base64').toString());
    assert.match(leaf.issuer, /Pebble Intermediate/);
    const port = sy.ports.get('websecure')!;
    await eventually(
      async () =>
        (await tlsExchange(port, { send: getRequest('127.0.0.1') })).fingerprint === leaf.fingerprint256,
    );
    for (const servername of ['app.test', 'unknown.test']) {
      assert.equal(
        (await tlsExchange(port, { servername, send: getRequest(servername) })).fingerprint,
        leaf.fingerprint256,
        servername,
      );
    }
  });
});
