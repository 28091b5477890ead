import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type tls from 'node:tls';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import {
  type FixtureCertificate,
  getRequest,
  opensslCertificate,
  tlsExchange,
} from '../../src/tls/test-tls-fixtures.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';

/** Sends one GET over TLS at `version`; returns the served certificate's fingerprint and CN, and the status. */
async function get(port: number, servername: string | undefined, version: tls.SecureVersion) {
  const got = await tlsExchange(port, { servername, version, send: getRequest(servername ?? 'x') });
  return { fingerprint: got.fingerprint, cn: got.commonName, status: got.data.split(' ')[1] ?? '' };
}

/** A YAML block scalar holding `pem`, its lines indented by `indent` spaces. */
function yaml(pem: string, indent = 8): string {
  return `|\n${pem.trimEnd().replace(/^/gm, ' '.repeat(indent))}`;
}

/** Runs Switchyard with the given certificates (and default certificate) behind one `tls: {}` router. */
async function start(backendPort: number, certs: FixtureCertificate[], fallback?: FixtureCertificate) {
  const dir = tempDir();
  const dynamic = writeFile(
    dir,
    'dynamic.yml',
    `
http:
  routers:
    secure:
      rule: "PathPrefix(\`/\`)"
      tls: {}
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backendPort}"
tls:
  certificates:
${certs.map((c) => `    - certFile: ${yaml(c.cert)}\n      keyFile: ${yaml(c.key)}`).join('\n')}
${
  fallback
    ? `  stores:
    default:
      defaultCertificate:
        certFile: ${yaml(fallback.cert, 10)}
        keyFile: ${yaml(fallback.key, 10)}`
    : ''
}
`,
  );
  const sy = await startSwitchyard(
    ['--entryPoints.websecure.address=127.0.0.1:0', `--providers.file.filename=${dynamic}`],
    { expectEntryPoints: ['websecure'] },
  );
  await sy.waitFor(/configuration applied.*generation=2/);
  return sy;
}

describe('HTTPS through the CLI: the certificate chosen by SNI is served whatever its key type (issue 17.1)', () => {
  let backend: WhoamiServer;
  let rsa: FixtureCertificate;
  let ecdsa: FixtureCertificate;
  let rsaFallback: FixtureCertificate;
  const running: Running[] = [];

  before(async () => {
    backend = await startWhoami({ name: 'tls-backend' });
    [rsa, ecdsa, rsaFallback] = await Promise.all([
      opensslCertificate('rsa2048', ['rsa.test']),
      opensslCertificate('p256', ['ecdsa.test']),
      opensslCertificate('rsa2048', ['fallback.test']),
    ]);
  });

  after(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await backend?.close();
  });

  it('serves an RSA certificate to TLS 1.3 and 1.2 clients next to the generated ECDSA default', async () => {
    const sy = await start(backend.port, [rsa, ecdsa]);
    running.push(sy);
    const port = sy.ports.get('websecure')!;
    for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
      const got = await get(port, 'rsa.test', version);
      assert.equal(got.fingerprint, rsa.fingerprint, `${version}: got CN=${got.cn}`);
      assert.equal(got.status, '200');
      assert.equal((await get(port, 'ecdsa.test', version)).fingerprint, ecdsa.fingerprint);
      assert.equal((await get(port, undefined, version)).cn, 'TRAEFIK DEFAULT CERT');
    }
  });

  it('serves an ECDSA certificate next to a user RSA default certificate, and that default otherwise', async () => {
    const sy = await start(backend.port, [rsa, ecdsa], rsaFallback);
    running.push(sy);
    const port = sy.ports.get('websecure')!;
    const fallback = new X509Certificate(rsaFallback.cert).fingerprint256;
    for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
      assert.equal((await get(port, 'ecdsa.test', version)).fingerprint, ecdsa.fingerprint);
      assert.equal((await get(port, 'rsa.test', version)).fingerprint, rsa.fingerprint);
      assert.equal((await get(port, 'other.test', version)).fingerprint, fallback);
      assert.equal((await get(port, undefined, version)).fingerprint, fallback);
    }
  });
});
