import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import {
  httpRequest as send,
  startBackend,
  startFrontend,
  startRawBackend,
} from '../../test/helpers/backends.js';
import type { ServersTransport } from '../config/dynamic/index.js';
import { addHeadHook } from '../core/http-context.js';
import { forward } from './forward.js';
import { SERVER_NAME } from './request-head.js';
import { createUpstreamTarget, type UpstreamTarget } from './target.js';

let generation = 1000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function targetFor(
  url: string,
  opts: { passHostHeader?: boolean; preservePath?: boolean; transport?: ServersTransport } = {},
): UpstreamTarget {
  return createUpstreamTarget(
    { url, preservePath: opts.preservePath ?? false },
    { name: `test-${generation}`, config: opts.transport ?? {} },
    { passHostHeader: opts.passHostHeader ?? true, generation: generation++ },
  );
}

/** A front server forwarding everything to `target`. */
async function proxyTo(target: UpstreamTarget) {
  const front = await startFrontend((ctx) => forward(ctx, target));
  cleanups.push(front.close);
  return front;
}

async function backend(handler?: Parameters<typeof startBackend>[0]) {
  const b = await startBackend(handler);
  cleanups.push(b.close);
  return b;
}

const echo = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  req.pipe(res);
};

describe('forward: headers', () => {
  it('strips hop-by-hop and Connection-named headers both ways and adds the X-Forwarded set', async () => {
    const b = await backend((_req, res) => {
      res.setHeader('Connection', 'X-Internal');
      res.setHeader('X-Internal', 'secret');
      res.setHeader('Keep-Alive', 'timeout=5');
      res.setHeader('Proxy-Authenticate', 'Basic');
      res.setHeader('X-Public', 'yes');
      res.end('ok');
    });
    const front = await proxyTo(targetFor(b.url));
    const reply = await send(`${front.url}/a/b?c=d`, {
      headers: {
        Connection: 'X-Hop, keep-alive',
        'X-Hop': 'drop me',
        'Proxy-Authorization': 'Basic abc',
        TE: 'trailers',
        'X-Forwarded-For': '203.0.113.9',
        'X-Other': 'kept',
      },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), 'ok');
    assert.equal(reply.headers['x-internal'], undefined);
    assert.equal(reply.headers['proxy-authenticate'], undefined);
    assert.notEqual(reply.headers['keep-alive'], 'timeout=5');
    assert.equal(reply.headers['x-public'], 'yes');
    const seen = b.requests[0]!;
    assert.equal(seen.url, '/a/b?c=d');
    assert.equal(seen.headers['x-hop'], undefined);
    assert.equal(seen.headers['proxy-authorization'], undefined);
    assert.equal(seen.headers.te, 'trailers');
    assert.equal(seen.headers['x-other'], 'kept');
    assert.equal(seen.headers.host, `127.0.0.1:${front.port}`);
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-forwarded-host'], `127.0.0.1:${front.port}`);
    assert.equal(seen.headers['x-forwarded-port'], String(front.port));
    assert.equal(seen.headers['x-forwarded-server'], SERVER_NAME);
    assert.equal(seen.headers['x-real-ip'], '127.0.0.1');
    assert.equal(front.contexts[0]!.serverUrl, b.url);
  });

  it('sends the server host when passHostHeader is false, and the server path with preservePath', async () => {
    const b = await backend();
    const front = await proxyTo(targetFor(`${b.url}/base`, { passHostHeader: false, preservePath: true }));
    const reply = await send(`${front.url}/x`, { headers: { host: 'example.com' } });
    assert.equal(reply.body.toString(), 'ok GET /base/x');
    assert.equal(b.requests[0]!.headers.host, `127.0.0.1:${b.port}`);
    assert.equal(b.requests[0]!.headers['x-forwarded-host'], 'example.com');
    const plain = await proxyTo(targetFor(`${b.url}/base`));
    assert.equal((await send(`${plain.url}/x`)).body.toString(), 'ok GET /x');
  });

  it('runs response head hooks and drops header values Node would refuse', async () => {
    const b = await backend((_req, res) => res.end('ok'));
    const target = targetFor(b.url);
    const front = await startFrontend((ctx) => {
      addHeadHook(ctx, (_c, status, headers) => {
        headers['x-hooked'] = String(status);
        return 299;
      });
      forward(ctx, target);
    });
    cleanups.push(front.close);
    const reply = await send(front.url);
    assert.equal(reply.status, 299);
    assert.equal(reply.headers['x-hooked'], '200');
  });
});

describe('forward: framing', () => {
  it('passes chunked and content-length responses, HEAD, 204 and 304 on one kept-alive connection', async () => {
    const b = await backend((req, res) => {
      if (req.url === '/chunked') {
        res.write('part1-');
        setTimeout(() => res.end('part2'), 5);
      } else if (req.url === '/204') {
        res.writeHead(204);
        res.end();
      } else if (req.url === '/304') {
        res.writeHead(304, { etag: '"x"' });
        res.end();
      } else {
        res.writeHead(200, { 'content-length': 5 });
        res.end(req.method === 'HEAD' ? undefined : 'fixed');
      }
    });
    const front = await proxyTo(targetFor(b.url));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const chunked = await send(`${front.url}/chunked`, { agent });
    assert.equal(chunked.body.toString(), 'part1-part2');
    assert.equal(chunked.headers['transfer-encoding'], 'chunked');
    const fixed = await send(`${front.url}/fixed`, { agent });
    assert.equal(fixed.body.toString(), 'fixed');
    assert.equal(fixed.headers['content-length'], '5');
    const head = await send(`${front.url}/fixed`, { agent, method: 'HEAD' });
    assert.equal(head.headers['content-length'], '5');
    assert.equal(head.body.length, 0);
    assert.equal((await send(`${front.url}/204`, { agent })).status, 204);
    const notModified = await send(`${front.url}/304`, { agent });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.etag, '"x"');
    assert.equal((await send(`${front.url}/fixed`, { agent })).body.toString(), 'fixed');
    agent.destroy();
    assert.equal(b.connections, 1, 'the upstream connection is reused throughout');
  });

  it('reads a body delimited by the server closing the connection', async () => {
    const raw = await startRawBackend((socket) =>
      socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close')),
    );
    cleanups.push(raw.close);
    const front = await proxyTo(targetFor(raw.url));
    for (let i = 0; i < 2; i++) {
      const reply = await send(front.url);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.toString(), 'until close');
    }
  });

  it('re-chunks a chunked request body and forwards content-length bodies as they are', async () => {
    const b = await backend(echo);
    const front = await proxyTo(targetFor(b.url));
    const chunked = await send(front.url, { method: 'POST', body: Readable.from(['a', 'bc', 'def']) });
    assert.equal(chunked.body.toString(), 'abcdef');
    assert.equal(b.requests[0]!.headers['transfer-encoding'], 'chunked');
    const fixed = await send(front.url, { method: 'PUT', body: 'hello', headers: { 'content-length': 5 } });
    assert.equal(fixed.body.toString(), 'hello');
    assert.equal(b.requests[1]!.headers['content-length'], '5');
  });

  it('streams 50 MB up and back intact', async () => {
    const b = await backend(echo);
    const front = await proxyTo(targetFor(b.url));
    const total = 50 * 1024 * 1024;
    const block = Buffer.alloc(64 * 1024);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
    const sent = createHash('sha256');
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= total) return this.push(null);
        produced += block.length;
        sent.update(block);
        this.push(block);
      },
    });
    const got = createHash('sha256');
    let length = 0;
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        front.url,
        { method: 'POST', agent: false, headers: { 'content-length': total } },
        (res) => {
          res.on('data', (c: Buffer) => {
            length += c.length;
            got.update(c);
          });
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      source.pipe(req);
    });
    assert.equal(length, total);
    assert.equal(got.digest('hex'), sent.digest('hex'));
  });
});
