/**
 * TCP routers that terminate TLS use their own `tls.options` and get certificates from an ACME resolver
 * (`tls.certResolver`), checked with real handshakes against the built CLI and pebble.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { createCA, issueCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually, request } from '../helpers/http.js';
import { type Pebble, startPebble } from '../helpers/pebble.js';
import { startEcho, type TcpServer } from './tcp-fixture.js';

/** What a TLS client sees: the echo's answer to `ping` with the protocol and certificate issuer, or why it failed. */
function exchange(
  port: number,
  servername: string,
  version?: tls.SecureVersion,
): Promise<{ answer: string; protocol: string | null; issuer: string } | { refused: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername,
      rejectUnauthorized: false,
      ...(version ? { minVersion: version, maxVersion: version } : {}),
    });
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('secureConnect', () => socket.write('ping'));
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
      if (!answer.endsWith('ping')) return;
      const issuer = socket.getPeerX509Certificate()?.issuer ?? '';
      resolve({ answer, protocol: socket.getProtocol(), issuer });
      socket.destroy();
    });
    socket.on('error', (err) => resolve({ refused: err.message }));
    socket.on('close', () => resolve({ refused: 'closed' }));
  });
}

describe('TCP routers terminating TLS: their own TLS options and ACME certificates', () => {
  let echo: TcpServer;
  let pebble: Pebble;
  let sy: Running;
  let port: number;

  before(async () => {
    echo = await startEcho('echo');
    const webPort = await freePort();
    pebble = await startPebble({ httpPort: webPort });
    const dir = tempDir();
    const ca = await createCA({ commonName: 'TCP TLS Test CA' });
    const site = await issueCert(ca, { dnsNames: ['modern.test', 'legacy.test'] });
    writeFile(dir, 'site.crt', site.cert);
    writeFile(dir, 'site.key', site.key);
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
tcp:
  routers:
    modern:
      rule: "HostSNI(\`modern.test\`)"
      entryPoints: [tcp]
      tls: { options: tls13 }
      service: echo
    legacy:
      rule: "HostSNI(\`legacy.test\`)"
      entryPoints: [tcp]
      tls: {}
      service: echo
    acme:
      rule: "HostSNI(\`acme.test\`)"
      entryPoints: [tcp]
      tls: { certResolver: le }
      service: echo
    broken:
      rule: "HostSNI(\`broken.test\`)"
      entryPoints: [tcp]
      tls: { options: nowhere }
      service: echo
  services:
    echo:
      loadBalancer:
        servers:
          - address: "127.0.0.1:${echo.port}"
tls:
  certificates:
    - certFile: ${join(dir, 'site.crt')}
      keyFile: ${join(dir, 'site.key')}
  options:
    tls13:
      minVersion: VersionTLS13
`,
    );
    sy = await startSwitchyard(
      [
        `--entryPoints.web.address=127.0.0.1:${webPort}`,
        '--entryPoints.tcp.address=127.0.0.1:0',
        '--entryPoints.traefik.address=127.0.0.1:0',
        '--api.insecure=true',
        `--providers.file.filename=${dynamic}`,
        '--certificatesResolvers.le.acme.email=ops@example.test',
        `--certificatesResolvers.le.acme.caServer=${pebble.directoryUrl}`,
        `--certificatesResolvers.le.acme.storage=${join(dir, 'acme.json')}`,
        '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
      ],
      {
        startMs: 60_000,
        expectEntryPoints: ['web', 'tcp', 'traefik'],
        env: { LEGO_CA_CERTIFICATES: pebble.caFile },
      },
    );
    port = sy.ports.get('tcp')!;
  });

  after(async () => {
    await sy?.stop();
    await pebble?.stop();
    await echo?.close();
  });

  it('a router with minVersion VersionTLS13 refuses a TLS 1.2 client and serves a TLS 1.3 one', async () => {
    const old = await exchange(port, 'modern.test', 'TLSv1.2');
    assert.ok('refused' in old, `TLS 1.2 was accepted: ${JSON.stringify(old)}`);
    const got = await exchange(port, 'modern.test', 'TLSv1.3');
    assert.deepEqual('answer' in got && [got.answer, got.protocol], ['echo:ping', 'TLSv1.3']);
  });

  it('a router on the default options still accepts TLS 1.2 on the same entrypoint', async () => {
    const got = await exchange(port, 'legacy.test', 'TLSv1.2');
    assert.deepEqual('answer' in got && [got.answer, got.protocol], ['echo:ping', 'TLSv1.2']);
  });

  it('a router with unknown options is disabled with the error, and its name is not served', async () => {
    const api = JSON.parse((await request(sy.url('traefik', '/api/tcp/routers/broken@file'))).body);
    assert.equal(api.status, 'disabled');
    assert.match(api.error.join(' '), /nowhere@file/);
    assert.ok('refused' in (await exchange(port, 'broken.test')));
  });

  it('a router with tls.certResolver gets its certificate from pebble and serves it', async () => {
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    await eventually(async () => {
      const got = await exchange(port, 'acme.test');
      return 'answer' in got && /Pebble Intermediate/.test(got.issuer);
    });
    const got = await exchange(port, 'acme.test');
    assert.deepEqual('answer' in got && got.answer, 'echo:ping');
  });
});
