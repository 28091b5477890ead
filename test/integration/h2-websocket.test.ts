import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders } from 'node:http';
import http2, { type ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { h2Connect, h2Request, h2WebSocket } from '../helpers/h2-client.js';

/** Waits for `check` to hold, polling (bounded). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

describe('WebSocket over HTTP/2 (RFC 8441) through the CLI', () => {
  let origin: http.Server;
  let wss: WebSocketServer;
  const handshakes: IncomingHttpHeaders[] = [];
  const urls: string[] = [];
  const closes: number[] = [];
  let sy: Running;
  let session: ClientHttp2Session;

  before(async () => {
    origin = http.createServer((_req, res) => res.end('plain'));
    wss = new WebSocketServer({
      server: origin,
      // The real server refuses some handshakes, as a backend may.
      verifyClient: (info, done) => done(!info.req.url?.startsWith('/refuse'), 403),
    });
    wss.on('connection', (ws, req) => {
      handshakes.push(req.headers);
      urls.push(req.url ?? '');
      ws.on('message', (data, binary) => {
        if (!binary && data.toString() === 'bye') ws.close(4000, 'server says bye');
        else ws.send(data, { binary });
      });
      ws.on('close', (code) => closes.push(code));
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    const port = (origin.address() as AddressInfo).port;
    sy = await startWithDynamic(
      [
        'http:',
        '  routers:',
        '    chat: { rule: "Host(`ws.test`) && PathPrefix(`/chat`)", service: ws, middlewares: [hdr] }',
        '    refuse: { rule: "Host(`ws.test`) && PathPrefix(`/refuse`)", service: ws }',
        '    private: { rule: "Host(`auth.test`)", service: ws, middlewares: [auth] }',
        '  middlewares:',
        '    hdr: { headers: { customRequestHeaders: { X-Via-Proxy: "yes" } } }',
        // user:password
        '    auth: { basicAuth: { users: ["user:$apr1$vfY/c5kH$H87CMFVO.ism94eBGN91r0"] } }',
        '  services:',
        `    ws: { loadBalancer: { servers: [{ url: "http://127.0.0.1:${port}" }] } }`,
      ].join('\n'),
    );
    session = await h2Connect(sy.url('web'));
  });

  after(async () => {
    session?.destroy();
    await sy?.stop();
    wss?.close();
    origin?.closeAllConnections();
    await new Promise((r) => origin?.close(r));
  });

  it('opens through the router and middlewares, echoes text and binary, and closes from the client', async () => {
    const ws = await h2WebSocket(session, '/chat/room?x=1', 'ws.test', { 'sec-websocket-protocol': 'chat' });
    assert.equal(ws.status, 200);
    assert.equal(ws.headers['sec-websocket-protocol'], 'chat');
    assert.equal(ws.headers['sec-websocket-accept'], undefined, 'no HTTP/1 handshake field on HTTP/2');
    const seen = handshakes.at(-1)!;
    assert.equal(urls.at(-1), '/chat/room?x=1');
    assert.equal(seen.host, 'ws.test');
    assert.equal(seen.upgrade, 'websocket');
    assert.equal(seen['x-via-proxy'], 'yes', 'the headers middleware applied');
    assert.equal(seen['x-forwarded-proto'], 'ws');

    ws.send('hello');
    assert.equal(await ws.next(), 'hello');
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    ws.send(bytes);
    assert.deepEqual(await ws.next(), bytes);
    const big = Buffer.alloc(200_000, 7);
    ws.send(big);
    assert.deepEqual(await ws.next(), big);

    // Another request on the same connection is served while the WebSocket is open.
    const plain = await h2Request(session, { ':path': '/chat/plain', ':authority': 'ws.test' });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.toString(), 'plain');

    const before = closes.length;
    ws.close(1000);
    assert.deepEqual(await ws.next(), { closed: 1000 }, 'the server answered the close');
    await until(() => closes.length > before, 'the server saw the close');
    assert.equal(closes.at(-1), 1000);
    await ws.ended;
  });

  it('passes a close from the server to the client', async () => {
    const ws = await h2WebSocket(session, '/chat/2', 'ws.test');
    assert.equal(ws.status, 200);
    ws.send('bye');
    assert.deepEqual(await ws.next(), { closed: 4000 });
    assert.equal(await ws.ended, 0, 'the stream ends cleanly once the server closed its connection');
  });

  it('a client reset closes the server connection', async () => {
    const ws = await h2WebSocket(session, '/chat/3', 'ws.test');
    ws.send('ping');
    assert.equal(await ws.next(), 'ping');
    const before = closes.length;
    ws.stream.close(http2.constants.NGHTTP2_CANCEL);
    await until(() => closes.length > before, 'the server connection closed');
    assert.equal(closes.at(-1), 1006, 'closed without a close frame');
  });

  it('a server refusing the upgrade gives the client its status', async () => {
    const ws = await h2WebSocket(session, '/refuse/now', 'ws.test');
    assert.equal(ws.status, 403);
    await ws.ended;
  });

  it('basicAuth applies: 401 without credentials, open with them', async () => {
    const denied = await h2WebSocket(session, '/', 'auth.test');
    assert.equal(denied.status, 401);
    assert.match(String(denied.headers['www-authenticate']), /^Basic/);
    const ok = await h2WebSocket(session, '/', 'auth.test', {
      authorization: `Basic ${Buffer.from('user:password').toString('base64')}`,
    });
    assert.equal(ok.status, 200);
    ok.send('in');
    assert.equal(await ok.next(), 'in');
    ok.close(1000);
    await ok.ended;
  });

  it('no router: 404; a plain CONNECT: 405', async () => {
    const lost = await h2WebSocket(session, '/nowhere', 'nobody.test');
    assert.equal(lost.status, 404);
    const connect = await h2Request(session, { ':method': 'CONNECT', ':authority': 'ws.test:443' });
    assert.equal(connect.status, 405);
  });
});
