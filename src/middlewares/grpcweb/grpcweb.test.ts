import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CallOptions, Code, ConnectError, createClient, type Transport } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import * as grpc from '@grpc/grpc-js';
import { Agent, fetch as undiciFetch } from 'undici';
import { refusedUrl } from '../../../test/helpers/backends.js';
import type { Switchyard } from '../../index.js';
import { decodeMsg, ECHO_DEFINITION, EchoService, encodeMsg, startEchoServer } from './test-echo.js';
import { startGrpcWebFront } from './test-front.js';

/*
 * gRPC-Web end to end: a real gRPC-Web client (@connectrpc/connect-web, through fetch) talks to
 * Switchyard's grpcWeb middleware, which speaks gRPC over HTTP/2 to a real @grpc/grpc-js server; over
 * HTTP/1.1 (plain entrypoint) and HTTP/2 (TLS, h2 only: see test-front.ts), as browsers do.
 */

const ALLOWED = 'https://app.example';
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let sy: Switchyard;
let plainUrl = '';
let tlsUrl = '';
let agent: Agent;

before(async () => {
  echo = await startEchoServer();
  const dead = new URL(await refusedUrl());
  const front = await startGrpcWebFront(
    {
      routers: {
        plain: { rule: 'PathPrefix(`/`)', entryPoints: ['web'], service: 'echo', middlewares: ['gw'] },
        down: { rule: 'PathPrefix(`/down/`)', entryPoints: ['web'], service: 'down', middlewares: ['gw'] },
        // A body read ahead (ctx.replayBody) by a retry listed first, and sent again on a second attempt.
        retried: {
          rule: 'PathPrefix(`/retried/`)',
          entryPoints: ['web'],
          service: 'flaky',
          middlewares: ['again', 'strip', 'gw'],
        },
      },
      middlewares: {
        gw: { grpcWeb: { allowOrigins: [ALLOWED] } },
        again: { retry: { attempts: 2 } },
        strip: { stripPrefix: { prefixes: ['/retried'] } },
      },
      services: {
        echo: { loadBalancer: { servers: [{ url: `h2c://127.0.0.1:${echo.port}` }] } },
        down: { loadBalancer: { servers: [{ url: `h2c://127.0.0.1:${dead.port}` }] } },
        // Round robin: the first attempt meets the refused server, the retry the real one.
        flaky: {
          loadBalancer: {
            servers: [{ url: `h2c://127.0.0.1:${dead.port}` }, { url: `h2c://127.0.0.1:${echo.port}` }],
          },
        },
      },
    },
    'echo',
    ['gw'],
  );
  ({ sy, plainUrl, tlsUrl } = front);
  agent = new Agent({ allowH2: true, connect: { ca: front.cert } });
});

after(async () => {
  await sy?.stop();
  echo?.close();
  await agent?.close();
});

/** connect-web's gRPC-Web transport; over HTTP/2 its fetch is undici's with HTTP/2 allowed. */
function transport(protocol: 'HTTP/1.1' | 'HTTP/2'): Transport {
  if (protocol === 'HTTP/1.1') return createGrpcWebTransport({ baseUrl: plainUrl, useBinaryFormat: true });
  const fetch = ((input: string, init: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof globalThis.fetch;
  return createGrpcWebTransport({ baseUrl: tlsUrl, useBinaryFormat: true, fetch });
}

/** The Echo client's shape (the service is described at run time, so its methods are not typed). */
interface EchoClient {
  unary(request: { text: string }, options?: CallOptions): Promise<{ text: string }>;
  serverStream(request: { text: string }, options?: CallOptions): AsyncIterable<{ text: string }>;
}

for (const protocol of ['HTTP/1.1', 'HTTP/2'] as const) {
  describe(`gRPC-Web over ${protocol}`, () => {
    const client = () => createClient(EchoService, transport(protocol)) as unknown as EchoClient;

    it('unary: the answer, request metadata, response headers and trailers', async () => {
      let headers: Headers | undefined;
      let trailers: Headers | undefined;
      const reply = await client().unary(
        { text: 'hello' },
        {
          headers: { 'x-token': 'abc', origin: ALLOWED },
          onHeader: (h) => {
            headers = h;
          },
          onTrailer: (t) => {
            trailers = t;
          },
        },
      );
      assert.equal(reply.text, 'HELLO|abc');
      assert.equal(headers?.get('content-type'), 'application/grpc-web+proto');
      assert.equal(headers?.get('x-header'), 'h');
      assert.equal(headers?.get('access-control-allow-origin'), ALLOWED);
      assert.equal(headers?.get('access-control-allow-credentials'), 'true');
      assert.match(
        headers?.get('access-control-expose-headers') ?? '',
        /X-Header.*grpc-status, grpc-message$/,
      );
      assert.equal(trailers?.get('x-trailer'), 'end');
      assert.equal(trailers?.get('grpc-status'), '0');
    });

    it('server streaming: every message in order, then the status', async () => {
      const got: string[] = [];
      for await (const m of client().serverStream({ text: '40' })) got.push(m.text);
      assert.deepEqual(
        got,
        Array.from({ length: 40 }, (_, i) => `msg-${i}`),
      );
    });

    it('an error status with its message (trailers-only answer)', async () => {
      await assert.rejects(client().unary({ text: 'missing' }), (err: unknown) => {
        const e = ConnectError.from(err);
        assert.equal(e.code, Code.NotFound);
        assert.equal(e.rawMessage, 'no such thing');
        return true;
      });
    });

    it('an error status after streamed messages (the trailer frame)', async () => {
      const got: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const m of client().serverStream({ text: '-3' })) got.push(m.text);
        })(),
        (err: unknown) => {
          const e = ConnectError.from(err);
          assert.equal(e.code, Code.ResourceExhausted);
          assert.equal(e.rawMessage, 'stopped after 3');
          return true;
        },
      );
      assert.deepEqual(got, ['msg-0', 'msg-1', 'msg-2']);
    });

    it('a refused origin gets no CORS permission (the call itself is still served, as Traefik does)', async () => {
      let headers: Headers | undefined;
      await client().unary(
        { text: 'x' },
        {
          headers: { origin: 'https://evil.example' },
          onHeader: (h) => {
            headers = h;
          },
        },
      );
      assert.equal(headers?.get('access-control-allow-origin'), null);
      assert.equal(headers?.get('vary'), 'Origin');
    });
  });
}

describe('a gRPC server that cannot be reached', () => {
  it('the browser gets 502 as UNAVAILABLE, with the CORS headers that let the page read it', async () => {
    let status = 0;
    let allowOrigin: string | null = null;
    const fetchSpy = (async (input: string, init: RequestInit) => {
      const res = await fetch(input, init);
      status = res.status;
      allowOrigin = res.headers.get('access-control-allow-origin');
      return res;
    }) as typeof globalThis.fetch;
    const down = createClient(
      EchoService,
      createGrpcWebTransport({ baseUrl: `${plainUrl}/down`, useBinaryFormat: true, fetch: fetchSpy }),
    ) as unknown as EchoClient;
    await assert.rejects(down.unary({ text: 'x' }, { headers: { origin: ALLOWED } }), (err: unknown) => {
      assert.equal(ConnectError.from(err).code, Code.Unavailable);
      return true;
    });
    assert.equal(status, 502);
    assert.equal(allowOrigin, ALLOWED);
  });
});

/** A fetch to the plain entrypoint (HTTP/1.1). */
const send = (path: string, init: RequestInit) => fetch(`${plainUrl}${path}`, init);

describe('gRPC-Web CORS preflight', () => {
  const preflight = (origin: string, method = 'POST') =>
    send('/test.Echo/Unary', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type,x-grpc-web,x-user-agent',
      },
    });

  it('an allowed origin gets permission for the method and headers it asked for', async () => {
    const res = await preflight(ALLOWED);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(res.headers.get('access-control-allow-headers'), 'Content-Type, X-Grpc-Web, X-User-Agent');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(res.headers.get('access-control-max-age'), '600');
    assert.equal(await res.text(), '');
  });

  it('a refused origin, or a method other than GET/POST/HEAD, gets no permission', async () => {
    for (const res of [await preflight('https://evil.example'), await preflight(ALLOWED, 'PUT')]) {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-methods'), null);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
    }
  });
});

/** A gRPC-Web text body: the frames in base64, each piece padded (as a sender may flush them). */
const frame = (flag: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([flag, 0, 0, 0, 0]).fill(0, 1), payload]).fill(payload.length, 4, 5);

function decodePieces(text: string): Buffer {
  // Each group of four decodes on its own, so padded pieces one after another are fine.
  return Buffer.concat((text.match(/.{4}/g) ?? []).map((q) => Buffer.from(q, 'base64')));
}

describe('gRPC-Web text mode (application/grpc-web-text)', () => {
  it('decodes a base64 request and answers in base64 with the trailer frame', async () => {
    const msg = encodeMsg('text mode');
    const body = frame(0, msg).toString('base64');
    const res = await send('/test.Echo/Unary', {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web-text', 'x-grpc-web': '1', 'x-token': 't' },
      body,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/grpc-web-text+proto');
    const raw = decodePieces(await res.text());
    assert.equal(raw[0], 0);
    const len = raw.readUInt32BE(1);
    assert.equal(decodeMsg(raw.subarray(5, 5 + len)), 'TEXT MODE|t');
    const trailer = raw.subarray(5 + len);
    assert.equal(trailer[0], 0x80);
    const block = trailer.subarray(5).toString();
    assert.match(block, /^grpc-message: OK\r\ngrpc-status: 0\r\nx-trailer: end\r\n$/);
  });

  it('a body read ahead by a retry is decoded once, whatever the number of attempts', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await send('/retried/test.Echo/Unary', {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web-text' },
        body: frame(0, encodeMsg(`again ${i}`)).toString('base64'),
      });
      assert.equal(res.status, 200);
      const raw = decodePieces(await res.text());
      assert.equal(decodeMsg(raw.subarray(5, 5 + raw.readUInt32BE(1))), `AGAIN ${i}|`);
    }
  });

  it('refuses a body that is not base64 with 400 and a reason', async () => {
    const res = await send('/test.Echo/Unary', {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web-text' },
      body: 'AAAA*not base64*',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /not valid base64/);
  });
});

describe('requests that are not gRPC-Web', () => {
  it('a native gRPC client on the same route passes through untouched', async () => {
    const Client = grpc.makeGenericClientConstructor(ECHO_DEFINITION, 'Echo');
    const c = new Client(`127.0.0.1:${new URL(plainUrl).port}`, grpc.credentials.createInsecure());
    try {
      const reply = await new Promise<string>((resolve, reject) =>
        (c as unknown as Record<string, (...a: unknown[]) => void>).unary!(
          'native',
          (err: Error | null, value: string) => (err ? reject(err) : resolve(value)),
        ),
      );
      assert.equal(reply, 'NATIVE|');
    } finally {
      c.close();
    }
  });
});
