import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { getRequest, opensslCertificate, tlsExchange } from '../../src/tls/test-tls-fixtures.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually } from '../helpers/http.js';

describe('certificate files replaced on disk are served without a configuration change (issue 13)', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let dir: string;
  let port: number;

  const served = async () =>
    (await tlsExchange(port, { servername: 'a.test', send: getRequest('a.test') })).fingerprint;

  before(async () => {
    backend = await startWhoami({ name: 'reload-backend' });
    dir = tempDir();
    const first = await opensslCertificate('p256', ['a.test']);
    writeFile(dir, 'a.crt', first.cert);
    writeFile(dir, 'a.key', first.key);
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    a:
      rule: "Host(\`a.test\`)"
      tls: {}
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
tls:
  certificates:
    - certFile: ${join(dir, 'a.crt')}
      keyFile: ${join(dir, 'a.key')}
`,
    );
    sy = await startSwitchyard(
      ['--entryPoints.websecure.address=127.0.0.1:0', `--providers.file.filename=${dynamic}`],
      { expectEntryPoints: ['websecure'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
    port = sy.ports.get('websecure')!;
    assert.equal(await served(), first.fingerprint);
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('picks up a certificate and key renamed over the old files (certbot, cert-manager)', async () => {
    const next = await opensslCertificate('rsa2048', ['a.test']);
    writeFileSync(join(dir, 'a.key.new'), next.key);
    writeFileSync(join(dir, 'a.crt.new'), next.cert);
    renameSync(join(dir, 'a.key.new'), join(dir, 'a.key'));
    renameSync(join(dir, 'a.crt.new'), join(dir, 'a.crt'));
    await eventually(async () => (await served()) === next.fingerprint);
    await sy.waitFor(/certificate files changed on disk; reloading TLS/);
  });

  it('picks up files rewritten in place', async () => {
    const next = await opensslCertificate('p384', ['a.test']);
    writeFileSync(join(dir, 'a.key'), next.key);
    writeFileSync(join(dir, 'a.crt'), next.cert);
    await eventually(async () => (await served()) === next.fingerprint);
  });
});
