import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

/**
 * The access log's `Origin*` fields, which the proxy records itself: an HTTP/1.1 server, an h2c server,
 * a server that refuses connections (the proxy's 502 stands for its answer) and a middleware that answers
 * itself (no origin at all).
 */
describe('access log Origin* fields', () => {
  let h1: http.Server;
  let h2: http2.Http2Server;
  const sessions = new Set<http2.ServerHttp2Session>();
  let sy: Running;
  const dir = tempDir();
  const file = join(dir, 'access.log');
  const entries = (): Record<string, unknown>[] =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l))
      : [];

  /** The JSON entry of one request, sent with a fresh connection. */
  async function logged(path: string, method = 'GET'): Promise<Record<string, unknown>> {
    const before = entries().length;
    const res = await request(sy.url('web', path), { method, headers: { host: 'origin.test' } });
    await eventually(() => entries().length > before);
    const entry = entries()[before]!;
    assert.equal(entry.DownstreamStatus, res.status);
    return entry;
  }

  before(async () => {
    h1 = http.createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.write('not ');
      res.end('here');
    });
    h2 = http2.createServer((_req, res) => {
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end('made over h2c');
    });
    h2.on('session', (s: http2.ServerHttp2Session) => {
      sessions.add(s);
      s.on('close', () => sessions.delete(s));
    });
    await new Promise<void>((r) => h1.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
    // A port nothing listens on any more.
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const deadPort = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    const port = (s: { address(): unknown }) => (s.address() as AddressInfo).port;
    writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    h1: { rule: "PathPrefix(\`/h1\`)", service: h1 }
    h2: { rule: "PathPrefix(\`/h2\`)", service: h2 }
    down: { rule: "PathPrefix(\`/down\`)", service: down }
    auth: { rule: "PathPrefix(\`/auth\`)", service: h1, middlewares: [auth] }
  middlewares:
    auth:
      basicAuth:
        users: ["alice:{SHA}unused"]
  services:
    h1: { loadBalancer: { servers: [{ url: "http://127.0.0.1:${port(h1)}" }] } }
    h2: { loadBalancer: { servers: [{ url: "h2c://127.0.0.1:${port(h2)}" }] } }
    down: { loadBalancer: { servers: [{ url: "http://127.0.0.1:${deadPort}" }] } }
`,
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.file.directory=${dir}`,
        `--accesslog.filepath=${file}`,
        '--accesslog.format=json',
        '--accesslog.bufferingsize=0',
      ],
      { expectEntryPoints: ['web'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    for (const s of sessions) s.destroy();
    await new Promise((r) => h1?.close(r));
    await new Promise((r) => h2?.close(r));
  });

  it('records what an HTTP/1.1 server answered', async () => {
    const entry = await logged('/h1');
    assert.equal(entry.OriginStatus, 404);
    assert.equal(entry.OriginStatusLine, '404 Not Found');
    assert.equal(entry.OriginContentSize, 8);
    assert.equal(entry.DownstreamContentSize, 8);
    assert.ok((entry.OriginDuration as number) > 0);
    assert.ok((entry.OriginDuration as number) <= (entry.Duration as number));
    assert.equal(entry.Overhead, (entry.Duration as number) - (entry.OriginDuration as number));
  });

  it('records what an h2c server answered', async () => {
    const entry = await logged('/h2');
    assert.equal(entry.OriginStatus, 201);
    assert.equal(entry.OriginContentSize, Buffer.byteLength('made over h2c'));
    assert.ok((entry.OriginDuration as number) > 0);
    assert.ok((entry.OriginDuration as number) <= (entry.Duration as number));
  });

  it("records the proxy's 502 for a server that cannot be reached", async () => {
    const entry = await logged('/down');
    assert.equal(entry.DownstreamStatus, 502);
    assert.equal(entry.OriginStatus, 502);
    assert.equal(entry.OriginContentSize, Buffer.byteLength('Bad Gateway'));
    assert.ok((entry.OriginDuration as number) > 0);
    const head = await logged('/down', 'HEAD');
    assert.equal(head.OriginStatus, 502);
    assert.equal(head.OriginContentSize, 0);
  });

  it('has no origin when a middleware answers itself', async () => {
    const entry = await logged('/auth');
    assert.equal(entry.DownstreamStatus, 401);
    assert.equal(entry.OriginStatus, undefined);
    assert.equal(entry.OriginContentSize, undefined);
    assert.equal(entry.OriginDuration, 0);
    assert.equal(entry.Overhead, entry.Duration);
  });
});
