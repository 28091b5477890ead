import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selfSignedCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually } from '../helpers/http.js';

/**
 * Issue 17 point 12: response sizes and the user name in the access log, for every format, over HTTP and
 * HTTPS, for a body with Content-Length, a chunked body and a body the compress middleware gzips, on routers
 * with a chain of basicAuth, stripPrefix, headers and compress.
 */
const BODIES = {
  cl: 'c'.repeat(1000),
  chunked: 'k'.repeat(1500),
  gz: 'compress me please '.repeat(300),
} as const;
type Kind = keyof typeof BODIES;
const KINDS = Object.keys(BODIES) as Kind[];

function startOrigin(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const kind = (req.url ?? '/').slice(1) as Kind;
    const body = BODIES[kind];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (kind === 'chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(body.slice(0, 500));
      res.write(body.slice(500, 1000));
      res.end(body.slice(1000));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The raw body bytes the client received (gzip left compressed). */
function fetchRaw(url: string, headers: Record<string, string>, ca?: string): Promise<Buffer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { headers, agent: false, ca, servername: 'sizes.test' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const sha1User = (user: string, password: string) =>
  `${user}:{SHA}${createHash('sha1').update(password).digest('base64')}`;

for (const format of ['json', 'common', 'genericCLF'] as const) {
  describe(`access log sizes and user, format ${format}`, () => {
    let origin: http.Server;
    let sy: Running;
    let cert: string;
    const dir = tempDir();
    const file = join(dir, 'access.log');
    const lines = () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [];

    before(async () => {
      origin = await startOrigin();
      const pair = await selfSignedCert({ dnsNames: ['sizes.test'] });
      cert = pair.cert;
      writeFile(dir, 'cert.pem', pair.cert);
      writeFile(dir, 'key.pem', pair.key);
      const chain = '[auth, strip, tag, zip]';
      writeFile(
        dir,
        'dynamic.yml',
        `
http:
  routers:
    plain:
      rule: "PathPrefix(\`/app\`)"
      entryPoints: [web]
      middlewares: ${chain}
      service: origin
    secure:
      rule: "PathPrefix(\`/app\`)"
      entryPoints: [websecure]
      middlewares: ${chain}
      service: origin
      tls: {}
  middlewares:
    auth:
      basicAuth:
        users: ["${sha1User('alice', 'wonderland')}"]
    strip:
      stripPrefix:
        prefixes: [/app]
    tag:
      headers:
        customResponseHeaders:
          X-Tag: sizes
    zip:
      compress: {}
  services:
    origin:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${(origin.address() as AddressInfo).port}"
tls:
  certificates:
    - certFile: ${join(dir, 'cert.pem')}
      keyFile: ${join(dir, 'key.pem')}
`,
      );
      sy = await startSwitchyard(
        [
          '--entryPoints.web.address=127.0.0.1:0',
          '--entryPoints.websecure.address=127.0.0.1:0',
          `--providers.file.directory=${dir}`,
          `--accesslog.filepath=${file}`,
          `--accesslog.format=${format}`,
          '--accesslog.bufferingsize=0',
          // Metrics read the response sizes too (they once took them from the access log).
          '--metrics.prometheus=true',
        ],
        { expectEntryPoints: ['web', 'websecure'] },
      );
      await sy.waitFor(/configuration applied.*generation=2/);
    });
    after(async () => {
      await sy?.stop();
      await new Promise((r) => origin?.close(r));
    });

    for (const scheme of ['http', 'https'] as const) {
      for (const kind of KINDS) {
        it(`${scheme}, ${kind} body`, async () => {
          const ep = scheme === 'http' ? 'web' : 'websecure';
          const url = sy.url(ep, `/app/${kind}`).replace(/^http:/, `${scheme}:`);
          const headers: Record<string, string> = {
            host: 'sizes.test',
            authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}`,
          };
          if (kind === 'gz') headers['accept-encoding'] = 'gzip';
          const before = lines().length;
          const body = await fetchRaw(url, headers, cert);
          const originSize = Buffer.byteLength(BODIES[kind]);
          if (kind === 'gz') assert.ok(body.length < originSize, 'the compress middleware gzipped the body');
          else assert.equal(body.length, originSize);
          await eventually(() => lines().length > before);
          const line = lines()[before]!;
          if (format === 'json') {
            const entry = JSON.parse(line);
            assert.equal(entry.RouterName, scheme === 'http' ? 'plain@file' : 'secure@file');
            assert.equal(entry.ClientUsername, 'alice');
            assert.equal(entry.DownstreamContentSize, body.length, 'what the client received');
            assert.equal(entry.OriginContentSize, originSize, 'what the server sent');
            assert.equal(entry.OriginStatus, 200);
            assert.equal(entry.RequestScheme, scheme);
            if (kind === 'gz') assert.equal(entry.GzipRatio, originSize / body.length);
          } else {
            const m = /^\S+ - (\S+) \[[^\]]+\] "GET \/app\/(\w+) HTTP\/1\.1" (\d+) (\d+) /.exec(line);
            assert.ok(m, line);
            assert.equal(m[1], 'alice');
            assert.equal(m[2], kind);
            assert.equal(Number(m[4]), body.length, 'the size the client received');
          }
        });
      }
    }
  });
}
