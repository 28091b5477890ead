import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectionOptions, SecureVersion } from 'node:tls';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { getRequest, tlsExchange } from '../../src/tls/test-tls-fixtures.js';
import { createCA, type IssuedCert, issueCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { h2Connect, h2Request } from '../helpers/h2-client.js';

const HOSTS = ['modern', 'legacy', 'curves', 'mtls', 'conflict', 'missing', 'plain', 'alpn', 'locked'];

function router(name: string, rule: string, options?: string, extra = ''): string {
  const tls = options === undefined ? 'tls: {}' : `tls: { options: ${options} }`;
  return `    ${name}:\n      rule: "${rule}"\n      ${tls}\n      service: s\n${extra}`;
}

describe('TLS options per router, chosen by server name (issue 13)', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let goodClient: IssuedCert;
  let port: number;
  let lockedPort: number;

  /** The HTTP status for one request over TLS, or `refused` when the handshake or connection fails. */
  async function status(
    servername: string,
    opts: ConnectionOptions & { version?: SecureVersion; host?: string; on?: number } = {},
  ): Promise<string> {
    const { host, on, ...connect } = opts;
    try {
      const got = await tlsExchange(on ?? port, {
        servername,
        send: getRequest(host ?? servername),
        ...connect,
      });
      return got.data.split(' ')[1] ?? '';
    } catch {
      return 'refused';
    }
  }

  before(async () => {
    backend = await startWhoami({ name: 'options-backend' });
    const serverCa = await createCA({ commonName: 'Options Server CA' });
    const clientCa = await createCA({ commonName: 'Options Client CA' });
    const site = await issueCert(serverCa, { dnsNames: HOSTS.map((h) => `${h}.test`) });
    goodClient = await issueCert(clientCa, { dnsNames: [], commonName: 'trusted client' });
    const dir = tempDir();
    writeFile(dir, 'site.crt', site.cert);
    writeFile(dir, 'site.key', site.key);
    writeFile(dir, 'client-ca.crt', clientCa.cert);
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
${router('modern', 'Host(`modern.test`)', 'modern')}
${router('legacy', 'Host(`legacy.test`)', 'legacy')}
${router('curves', 'Host(`curves.test`)', 'curves')}
${router('strict', 'Host(`nocert.test`)', 'strict')}
${router('mtls', 'Host(`mtls.test`)', 'mtls')}
${router('conflictA', 'Host(`conflict.test`) && Path(`/a`)', 'modern')}
${router('conflictB', 'Host(`conflict.test`) && Path(`/b`)', 'legacy')}
${router('missing', 'Host(`missing.test`)', 'nothere')}
${router('hostless', 'PathPrefix(`/hostless`)', 'modern')}
${router('plain', 'Host(`plain.test`) || Host(`other.test`)')}
${router('alpn', 'Host(`alpn.test`)', 'alpn')}
    locked:
      rule: "Host(\`locked.test\`)"
      entryPoints: [locked]
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
tls:
  certificates:
    - certFile: ${dir}/site.crt
      keyFile: ${dir}/site.key
  options:
    modern:
      minVersion: VersionTLS13
    legacy:
      maxVersion: VersionTLS12
      cipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]
    curves:
      curvePreferences: [CurveP384]
    strict:
      sniStrict: true
    mtls:
      clientAuth:
        caFiles: [${dir}/client-ca.crt]
        clientAuthType: RequireAndVerifyClientCert
    alpn:
      alpnProtocols: [http/1.1, h3]
`,
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.websecure.address=127.0.0.1:0',
        '--entryPoints.locked.address=127.0.0.1:0',
        '--entryPoints.locked.http.tls.options=modern',
        `--providers.file.filename=${dynamic}`,
      ],
      { expectEntryPoints: ['websecure', 'locked'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
    port = sy.ports.get('websecure')!;
    lockedPort = sy.ports.get('locked')!;
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('minVersion and maxVersion apply to the names of the routers asking for them', async () => {
    assert.equal(await status('modern.test', { version: 'TLSv1.2' }), 'refused');
    assert.equal(await status('modern.test', { version: 'TLSv1.3' }), '200');
    assert.equal(await status('legacy.test', { version: 'TLSv1.3' }), 'refused');
    assert.equal(await status('legacy.test', { version: 'TLSv1.2' }), '200');
    assert.equal(await status('plain.test', { version: 'TLSv1.2' }), '200');
    assert.equal(await status('plain.test', { version: 'TLSv1.3' }), '200');
  });

  it('cipherSuites and curvePreferences apply per router', async () => {
    const legacy = await tlsExchange(port, { servername: 'legacy.test', send: getRequest('legacy.test') });
    assert.equal(legacy.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
    const plain = await tlsExchange(port, {
      servername: 'plain.test',
      version: 'TLSv1.2',
      send: getRequest('plain.test'),
    });
    assert.notEqual(plain.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
    assert.equal(await status('curves.test', { ecdhCurve: 'P-256' }), 'refused');
    assert.equal(await status('curves.test', { ecdhCurve: 'P-384' }), '200');
    assert.equal(await status('plain.test', { ecdhCurve: 'P-256' }), '200');
  });

  it('sniStrict refuses a name of its router that no certificate covers; other names get the default', async () => {
    assert.equal(await status('nocert.test'), 'refused');
    const other = await tlsExchange(port, { servername: 'unknown.test', send: getRequest('unknown.test') });
    assert.equal(other.commonName, 'TRAEFIK DEFAULT CERT');
  });

  it('clientAuth applies to its router only', async () => {
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      assert.equal(await status('mtls.test', { version }), 'refused', version);
      assert.equal(await status('mtls.test', { version, cert: goodClient.cert, key: goodClient.key }), '200');
      assert.equal(await status('plain.test', { version }), '200', version);
    }
  });

  it('routers asking different options for one host fall back to default, with an error on each', async () => {
    assert.equal(await status('conflict.test', { version: 'TLSv1.2', host: 'conflict.test' }), '404');
    const a = await tlsExchange(port, {
      servername: 'conflict.test',
      version: 'TLSv1.2',
      send: getRequest('conflict.test', '/a'),
    });
    assert.equal(a.data.split(' ')[1], '200');
    await sy.waitFor(/conflictA@file.*TLS options conflict on entrypoint websecure for host conflict\.test/);
    await sy.waitFor(/conflictB@file.*TLS options conflict on entrypoint websecure for host conflict\.test/);
    await sy.waitFor(/hostless@file.*no domain found in rule/);
  });

  it('a router whose options do not exist is disabled and its host refused', async () => {
    assert.equal(await status('missing.test'), 'refused');
    await sy.waitFor(/missing@file.*unknown TLS options: nothere@file/);
  });

  it('alpnProtocols: the protocols Switchyard serves are negotiated, the others reported', async () => {
    const got = await tlsExchange(port, {
      servername: 'alpn.test',
      ALPNProtocols: ['h2', 'http/1.1'],
      send: getRequest('alpn.test'),
    });
    assert.equal(got.alpn, 'http/1.1', 'the router options leave h2 out');
    const session = await h2Connect(`https://127.0.0.1:${port}`, {
      servername: 'plain.test',
      rejectUnauthorized: false,
    });
    try {
      assert.equal(session.alpnProtocol, 'h2', 'h2 is offered by default');
      const reply = await h2Request(session, { ':path': '/', ':authority': 'plain.test' });
      assert.equal(reply.status, 200);
      assert.match(reply.body.toString(), /Host: plain\.test/);
    } finally {
      session.destroy();
    }
    await sy.waitFor(/tls\.options\.alpn@file: alpnProtocols: "h3" is not served/);
  });

  it('answers 421 when the Host names a router with other TLS options than the connection', async () => {
    assert.equal(await status('modern.test', { host: 'legacy.test' }), '421');
    assert.equal(await status('plain.test', { host: 'other.test' }), '200');
  });

  it('an entrypoint http.tls.options applies to its routers', async () => {
    assert.equal(await status('locked.test', { on: lockedPort, version: 'TLSv1.2' }), 'refused');
    assert.equal(await status('locked.test', { on: lockedPort, version: 'TLSv1.3' }), '200');
  });
});
