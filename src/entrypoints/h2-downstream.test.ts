import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { h2Connect, h2Request } from '../../test/helpers/h2-client.js';
import type { HttpContext } from '../core/http-context.js';
import { startTestEntryPoint } from '../observability/test-entrypoint.js';
import { forward } from '../proxy/forward.js';
import { createUpstreamTarget, type UpstreamTarget } from '../proxy/target.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

let generation = 7100;
function target(url: string): UpstreamTarget {
  const t = createUpstreamTarget(
    { url },
    { name: `h2-down-${generation}`, config: {} },
    { passHostHeader: true, generation: generation++ },
  );
  cleanups.push(() => t.h2?.close());
  return t;
}

async function listen(server: http.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    (server as http.Server).closeAllConnections?.();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as AddressInfo).port;
}

/** A backend of either protocol answering per path. */
type Backend = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const backend: Backend = (req, res) => {
  const path = req.url ?? '/';
  if (path.startsWith('/echo')) {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    req.on('end', () => {
      res.writeHead(200, {
        'x-version': req.httpVersion,
        'x-host': String(req.headers.host ?? req.headers[':authority']),
        'x-body-sha': hash.digest('hex'),
        'x-body-size': String(size),
        'x-te': String(req.headers['transfer-encoding']),
        ...(req.httpVersion === '1.1' ? { connection: 'keep-alive', 'keep-alive': 'timeout=5' } : {}),
      });
      res.end(Buffer.alloc(256 * 1024, 7));
    });
    return;
  }
  if (path === '/trailers') {
    (res as http2.Http2ServerResponse).writeHead(200, { 'content-type': 'application/grpc' });
    (res as http2.Http2ServerResponse).write('payload');
    (res as http2.Http2ServerResponse).addTrailers({ 'grpc-status': '0', 'grpc-message': 'fine' });
    res.end();
    return;
  }
  if (path === '/hang') {
    hung.push(req);
    return;
  }
  if (path === '/reset-before') {
    (req as http2.Http2ServerRequest).stream?.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    (req as http.IncomingMessage).socket?.destroy();
    return;
  }
  if (path === '/reset-after') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    (res as http.ServerResponse).write('start');
    setTimeout(() => {
      (req as http2.Http2ServerRequest).stream?.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      if (req.httpVersion === '1.1') (req as http.IncomingMessage).socket.destroy();
    }, 20);
    return;
  }
  res.writeHead(404);
  res.end();
};
const hung: (http.IncomingMessage | http2.Http2ServerRequest)[] = [];

const h1Port = await listen(http.createServer(backend));
const h2Port = await listen(http2.createServer(backend));
const targets: Record<string, UpstreamTarget> = {
  h1: target(`http://127.0.0.1:${h1Port}`),
  h2c: target(`h2c://127.0.0.1:${h2Port}`),
};
const seen: HttpContext[] = [];
const front = await startTestEntryPoint((ctx) => {
  seen.push(ctx);
  const kind = ctx.req.headers['x-backend'] === 'h2c' ? 'h2c' : 'h1';
  forward(ctx, targets[kind]!);
});
cleanups.push(front.close);
const session = await h2Connect(`http://127.0.0.1:${front.port}`);
cleanups.push(() => {
  session.destroy();
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition never met');
}

for (const kind of ['h1', 'h2c'] as const) {
  describe(`HTTP/2 client → ${kind} backend`, () => {
    it('forwards the authority as Host and streams a body both ways', async () => {
      const body = randomBytes(300 * 1024);
      const chunks = [body.subarray(0, 1000), body.subarray(1000, 200_000), body.subarray(200_000)];
      const reply = await h2Request(
        session,
        { ':method': 'POST', ':path': '/echo', ':authority': 'shop.example', 'x-backend': kind },
        chunks,
      );
      assert.equal(reply.error, undefined);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['x-version'], kind === 'h1' ? '1.1' : '2.0');
      assert.equal(reply.headers['x-host'], 'shop.example');
      assert.equal(reply.headers['x-body-sha'], sha(body));
      assert.equal(reply.headers['x-body-size'], String(body.length));
      assert.equal(reply.headers.connection, undefined);
      assert.equal(reply.headers['keep-alive'], undefined);
      assert.equal(reply.body.length, 256 * 1024);
    });

    it('a RST_STREAM from the client cancels the upstream request', async () => {
      hung.length = 0;
      const stream = session.request({ ':method': 'POST', ':path': '/hang', 'x-backend': kind });
      stream.on('error', () => {});
      stream.write('partial body');
      await waitFor(() => hung.length === 1);
      const upstream = hung[0]!;
      let closed = false;
      upstream.on('close', () => {
        closed = true;
      });
      upstream.on('error', () => {});
      stream.close(http2.constants.NGHTTP2_CANCEL);
      await waitFor(() => closed);
      await waitFor(() => seen.at(-1)?.abortedStatus === 499);
    });

    it('a backend reset before the head is a 502', async () => {
      const reply = await h2Request(session, { ':path': '/reset-before', 'x-backend': kind });
      assert.equal(reply.status, 502);
      assert.equal(reply.body.toString(), 'Bad Gateway');
    });

    it('a backend reset after the head resets the client stream, not the connection', async () => {
      const reply = await h2Request(session, { ':path': '/reset-after', 'x-backend': kind });
      assert.equal(reply.status, 200);
      assert.ok(reply.error, 'the stream was cut');
      const next = await h2Request(session, { ':path': '/echo', 'x-backend': kind });
      assert.equal(next.status, 200, 'the same connection serves the next stream');
    });
  });
}

describe('HTTP/2 downstream', () => {
  it('passes trailers through from an h2c backend', async () => {
    const reply = await h2Request(session, { ':path': '/trailers', 'x-backend': 'h2c', te: 'trailers' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), 'payload');
    assert.equal(reply.trailers?.['grpc-status'], '0');
    assert.equal(reply.trailers?.['grpc-message'], 'fine');
  });

  it('advertises the entrypoint limits in its SETTINGS', () => {
    assert.equal(session.remoteSettings.maxConcurrentStreams, 250);
    assert.equal(session.remoteSettings.enablePush, false);
  });

  it('serves HTTP/1.1 on the same port', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ port: front.port, host: '127.0.0.1', path: '/echo', agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject);
    });
    assert.equal(status, 200);
  });
});
