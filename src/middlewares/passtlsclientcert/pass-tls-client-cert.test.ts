import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Logger } from '../../core/logger.js';
import { generateDefaultCertificate } from '../../tls/generate-default.js';
import { resolveTlsOptions, type TlsOptionsConfig } from '../../tls/options.js';
import { buildCertificateStore } from '../../tls/store.js';
import { singleChoiceRouting, TlsTerminator } from '../../tls/terminator.js';
import {
  type ClientChain,
  getRequest,
  listenTerminator,
  opensslClientChain,
  tlsExchange,
} from '../../tls/test-tls-fixtures.js';
import type { Echo } from '../test-context.js';
import { echo, testBuildContext, testContext } from '../test-context.js';
import passTlsClientCert from './index.js';
import type { PassTlsClientCertOptions } from './schema.js';

let chain: ClientChain;
const listeners: { close(): Promise<void> }[] = [];

before(async () => {
  chain = await opensslClientChain({
    rootSubject: '/O=Acme CA/CN=Acme Root',
    intermediateSubject: '/DC=org/C=FR/ST=IDF/L=Paris/O=Acme CA/CN=Acme Intermediate',
    leafSubject:
      '/DC=org/DC=example/C=FR/ST=Ile-de-France/L=Paris/O=Acme Corp/OU=Dev/OU=Ops/serialNumber=1234/CN=client one',
    leafSan:
      'DNS:client.test,DNS:alt.test,email:one@example.test,IP:10.0.0.1,IP:::1,URI:spiffe://example.test/one',
    leafSerial: 4660,
  });
});

after(async () => {
  await Promise.all(listeners.map((l) => l.close()));
});

/** A TLS server (client auth per `tls`) whose requests go through passTLSClientCert to an echo handler. */
async function serve(options: PassTlsClientCertOptions, tls: TlsOptionsConfig): Promise<number> {
  const resolved = resolveTlsOptions(tls, { name: 'default' });
  const { store } = buildCertificateStore({
    certificates: [],
    generatedDefault: await generateDefaultCertificate(),
    contextOptions: resolved.contextOptions,
  });
  const handler = passTlsClientCert.create(options, testBuildContext())(echo);
  const httpServer = http.createServer((req, res) => handler(testContext(req, res, 'https')));
  const terminator = new TlsTerminator(
    singleChoiceRouting({ optionsName: 'default', options: resolved, store }),
    (socket) => httpServer.emit('connection', socket),
    Logger.create({ level: 'FATAL' }),
  );
  const listener = await listenTerminator(terminator);
  listeners.push(listener);
  return listener.port;
}

/** The request headers the backend got, for one request with `headers` and the client certificate `cert`. */
async function forwarded(port: number, opts: { cert?: string; headers?: string } = {}) {
  const request = getRequest('app.test').replace('\r\n\r\n', `\r\n${opts.headers ?? ''}\r\n`);
  const got = await tlsExchange(port, {
    servername: 'app.test',
    send: request,
    ...(opts.cert ? { cert: opts.cert, key: chain.leafKey } : {}),
  });
  const body = got.data.slice(got.data.indexOf('\r\n\r\n') + 4);
  return (JSON.parse(body) as Echo).headers;
}

const ALL_SUBJECT = {
  country: true,
  province: true,
  locality: true,
  organization: true,
  organizationalUnit: true,
  commonName: true,
  serialNumber: true,
  domainComponent: true,
};
const ALL_ISSUER = {
  country: true,
  province: true,
  locality: true,
  organization: true,
  commonName: true,
  serialNumber: true,
  domainComponent: true,
};

function base64Der(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64');
}

function unix(date: string): number {
  return Math.floor(Date.parse(date) / 1000);
}

describe('passTLSClientCert with real client certificates', () => {
  it('pem: passes the certificates the client sent, base64 DER, leaf first', async () => {
    const port = await serve({ pem: true }, { clientAuth: { caFiles: [chain.root] } });
    const headers = await forwarded(port, { cert: `${chain.leaf}${chain.intermediate}` });
    assert.equal(
      headers['x-forwarded-tls-client-cert'],
      `${base64Der(chain.leaf)},${base64Der(chain.intermediate)}`,
    );
    assert.equal(headers['x-forwarded-tls-client-cert-info'], undefined);
  });

  it('info: every sub-field, in Traefik order, URL-escaped, one entry per certificate', async () => {
    const port = await serve(
      {
        info: {
          notAfter: true,
          notBefore: true,
          sans: true,
          serialNumber: true,
          subject: ALL_SUBJECT,
          issuer: ALL_ISSUER,
        },
      },
      { clientAuth: { caFiles: [chain.root] } },
    );
    const headers = await forwarded(port, { cert: `${chain.leaf}${chain.intermediate}` });
    const leaf = new X509Certificate(chain.leaf);
    const intermediate = new X509Certificate(chain.intermediate);
    const expected = [
      [
        'Subject="DC=org,DC=example,C=FR,ST=Ile-de-France,L=Paris,O=Acme Corp,OU=Dev,OU=Ops,SN=1234,CN=client one"',
        'Issuer="DC=org,C=FR,ST=IDF,L=Paris,O=Acme CA,CN=Acme Intermediate"',
        'SerialNumber="4660"',
        `NB="${unix(leaf.validFrom)}"`,
        `NA="${unix(leaf.validTo)}"`,
        'SAN="client.test,alt.test,one@example.test,10.0.0.1,::1,spiffe://example.test/one"',
      ].join(';'),
      [
        'Subject="DC=org,C=FR,ST=IDF,L=Paris,O=Acme CA,CN=Acme Intermediate"',
        'Issuer="O=Acme CA,CN=Acme Root"',
        'SerialNumber="2"',
        `NB="${unix(intermediate.validFrom)}"`,
        `NA="${unix(intermediate.validTo)}"`,
      ].join(';'),
    ].join(',');
    const got = headers['x-forwarded-tls-client-cert-info'] as string;
    assert.equal(decodeURIComponent(got.replace(/\+/g, ' ')), expected);
    assert.match(
      got,
      /^Subject%3D%22DC%3Dorg%2CDC%3Dexample%2CC%3DFR%2CST%3DIle-de-France%2CL%3DParis%2CO%3DAcme\+Corp/,
    );
  });

  it('info: only the chosen fields, and nothing for a choice that selects none', async () => {
    const port = await serve(
      { pem: true, info: { subject: { commonName: true, organizationalUnit: true }, issuer: {} } },
      { clientAuth: { caFiles: [chain.root] } },
    );
    const headers = await forwarded(port, { cert: chain.leaf + chain.intermediate });
    assert.equal(
      headers['x-forwarded-tls-client-cert-info'],
      'Subject%3D%22OU%3DDev%2COU%3DOps%2CCN%3Dclient+one%22%2CSubject%3D%22CN%3DAcme+Intermediate%22',
    );
  });

  it('removes headers a client sent itself when it presents no certificate', async () => {
    const port = await serve(
      { pem: true, info: { subject: { commonName: true } } },
      {
        clientAuth: { caFiles: [chain.root], clientAuthType: 'VerifyClientCertIfGiven' },
      },
    );
    const forged =
      'X-Forwarded-Tls-Client-Cert: forged\r\nX-Forwarded-Tls-Client-Cert-Info: Subject%3D%22CN%3Dadmin%22\r\n';
    const headers = await forwarded(port, { headers: forged });
    assert.equal(headers['x-forwarded-tls-client-cert'], undefined);
    assert.equal(headers['x-forwarded-tls-client-cert-info'], undefined);
    const withCert = await forwarded(port, { cert: chain.leaf + chain.intermediate, headers: forged });
    assert.equal(
      withCert['x-forwarded-tls-client-cert-info'],
      'Subject%3D%22CN%3Dclient+one%22%2CSubject%3D%22CN%3DAcme+Intermediate%22',
    );
  });
});
