import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { createCA, issueCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request, whoamiHeader } from '../helpers/http.js';

function peerNames(port: number, servername?: string): Promise<{ cn: string; san: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      resolve({ cn: String(cert.subject?.CN ?? ''), san: cert.subjectaltname ?? '' });
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('HTTPS entrypoint with SNI', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let caPem: string;

  before(async () => {
    backend = await startWhoami({ name: 'secure' });
    const ca = await createCA({ commonName: 'Switchyard Test CA' });
    caPem = ca.cert;
    const exact = await issueCert(ca, { dnsNames: ['a.test'] });
    const wild = await issueCert(ca, { dnsNames: ['*.wild.test'] });
    const dir = tempDir();
    writeFile(dir, 'a.crt', exact.cert);
    writeFile(dir, 'a.key', exact.key);
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    secure:
      rule: "Host(\`a.test\`) || HostRegexp(\`^.+\\\\.wild\\\\.test$\`)"
      tls: {}
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
tls:
  certificates:
    - certFile: ${dir}/a.crt
      keyFile: ${dir}/a.key
    - certFile: |
${wild.cert.replace(/^/gm, '        ')}
      keyFile: |
${wild.key.replace(/^/gm, '        ')}
    - certFile: /nonexistent/broken.crt
      keyFile: /nonexistent/broken.key
`,
    );
    sy = await startSwitchyard(
      ['--entryPoints.websecure.address=127.0.0.1:0', `--providers.file.filename=${dynamic}`],
      {
        expectEntryPoints: ['websecure'],
      },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('selects the exact certificate, then the wildcard, then the generated default', async () => {
    const port = sy.ports.get('websecure')!;
    assert.match((await peerNames(port, 'a.test')).san, /DNS:a\.test/);
    assert.match((await peerNames(port, 'x.wild.test')).san, /DNS:\*\.wild\.test/);
    assert.equal((await peerNames(port, 'deep.x.wild.test')).cn, 'TRAEFIK DEFAULT CERT');
    assert.equal((await peerNames(port, 'other.test')).cn, 'TRAEFIK DEFAULT CERT');
    assert.equal((await peerNames(port)).cn, 'TRAEFIK DEFAULT CERT');
  });

  it('serves a tls router over HTTPS only, with a certificate the client can verify', async () => {
    const port = sy.ports.get('websecure')!;
    const res = await request(`https://127.0.0.1:${port}/`, {
      headers: { host: 'a.test' },
      servername: 'a.test',
      ca: caPem,
    });
    assert.equal(res.status, 200);
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-Proto'), 'https');
    const plain = await request(`http://127.0.0.1:${port}/`, { headers: { host: 'a.test' } });
    assert.equal(plain.status, 404);
  });

  it('reports the broken certificate without dropping the others', async () => {
    await sy.waitFor(/broken\.crt/);
  });
});
