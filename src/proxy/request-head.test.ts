import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import type { HttpContext } from '../core/http-context.js';
import { HTTP1 } from '../entrypoints/http1-adapter.js';
import {
  buildRequestHead,
  forwardedPort,
  type HeadTarget,
  joinPath,
  originForm,
  type RequestFraming,
  SERVER_NAME,
} from './request-head.js';

const TARGET: HeadTarget = {
  hostHeader: '10.0.0.1:8080',
  pathPrefix: '',
  passHostHeader: true,
  closeAfter: false,
};

function ctxFor(
  headers: IncomingHttpHeaders,
  opts: {
    method?: string;
    url?: string;
    scheme?: 'http' | 'https';
    sent100?: boolean;
    noAppend?: boolean;
    http10?: boolean;
  } = {},
): HttpContext {
  const req: Record<string | symbol, unknown> = {
    method: opts.method ?? 'GET',
    url: opts.url ?? '/p?q=1',
    headers,
    httpVersionMajor: 1,
    httpVersionMinor: opts.http10 ? 0 : 1,
  };
  return {
    req,
    rawRes: {},
    protocol: { ...HTTP1, continueSent: () => opts.sent100 ?? false },
    scheme: opts.scheme ?? 'http',
    clientIp: '192.0.2.7',
    forwardedFor: opts.noAppend ? 'as-is' : 'append',
  } as unknown as HttpContext;
}

/** Builds the head and returns its request line plus header map (names → list of values). */
function build(
  ctx: HttpContext,
  target: HeadTarget = TARGET,
  upgrade = false,
): { line: string; h: Record<string, string[]>; framing: RequestFraming } {
  const framing: RequestFraming = { hasBody: false, chunked: false, expectContinue: false };
  const head = buildRequestHead(ctx, target, upgrade, framing);
  assert.ok(head.endsWith('\r\n\r\n'));
  const lines = head.slice(0, -4).split('\r\n');
  const h: Record<string, string[]> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(': ');
    const name = l.slice(0, i).toLowerCase();
    h[name] = [...(h[name] ?? []), l.slice(i + 2)];
  }
  return { line: lines[0]!, h, framing };
}

describe('buildRequestHead', () => {
  it('drops hop-by-hop headers and those named in Connection, but never managed X-headers', () => {
    const { h } = build(
      ctxFor({
        host: 'example.com',
        connection: 'keep-alive, X-Custom, X-Forwarded-For',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        'proxy-authorization': 'Basic x',
        te: 'gzip',
        trailer: 'X-T',
        upgrade: 'websocket',
        'x-custom': 'gone',
        'x-forwarded-for': '203.0.113.1',
        accept: '*/*',
      }),
    );
    for (const gone of [
      'connection',
      'keep-alive',
      'proxy-connection',
      'proxy-authorization',
      'te',
      'trailer',
    ]) {
      assert.equal(h[gone], undefined, gone);
    }
    assert.equal(h.upgrade, undefined);
    assert.equal(h['x-custom'], undefined);
    assert.deepEqual(h.accept, ['*/*']);
    assert.deepEqual(h['x-forwarded-for'], ['203.0.113.1, 192.0.2.7']);
  });

  it('adds the X-Forwarded set, setting each only when absent (Server always)', () => {
    const { h } = build(ctxFor({ host: 'example.com:8443', 'x-forwarded-server': 'spoofed' }));
    assert.deepEqual(h['x-forwarded-for'], ['192.0.2.7']);
    assert.deepEqual(h['x-forwarded-proto'], ['http']);
    assert.deepEqual(h['x-forwarded-host'], ['example.com:8443']);
    assert.deepEqual(h['x-forwarded-port'], ['8443']);
    assert.deepEqual(h['x-forwarded-server'], [SERVER_NAME]);
    assert.deepEqual(h['x-real-ip'], ['192.0.2.7']);

    const kept = build(
      ctxFor({
        host: 'example.com',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'orig.example',
        'x-real-ip': '198.51.100.1',
      }),
    ).h;
    assert.deepEqual(kept['x-forwarded-proto'], ['https']);
    assert.deepEqual(kept['x-forwarded-host'], ['orig.example']);
    assert.deepEqual(kept['x-forwarded-port'], ['443']);
    assert.deepEqual(kept['x-real-ip'], ['198.51.100.1']);
  });

  it('does not append to X-Forwarded-For when the entrypoint says so', () => {
    assert.deepEqual(
      build(ctxFor({ 'x-forwarded-for': '1.1.1.1' }, { noAppend: true })).h['x-forwarded-for'],
      ['1.1.1.1'],
    );
    assert.equal(build(ctxFor({}, { noAppend: true })).h['x-forwarded-for'], undefined);
  });

  it('sends the client Host with passHostHeader, the server host without', () => {
    assert.deepEqual(build(ctxFor({ host: 'example.com' })).h.host, ['example.com']);
    const off = { ...TARGET, passHostHeader: false };
    assert.deepEqual(build(ctxFor({ host: 'example.com' }), off).h.host, ['10.0.0.1:8080']);
    assert.deepEqual(build(ctxFor({})).h.host, ['10.0.0.1:8080']);
  });

  it('prefixes the server path only with preservePath, and converts absolute-form targets', () => {
    assert.equal(build(ctxFor({})).line, 'GET /p?q=1 HTTP/1.1');
    assert.equal(build(ctxFor({}), { ...TARGET, pathPrefix: '/api/' }).line, 'GET /api/p?q=1 HTTP/1.1');
    assert.equal(build(ctxFor({}, { url: 'http://example.com/x?y' })).line, 'GET /x?y HTTP/1.1');
    assert.equal(joinPath('/a', '/b'), '/a/b');
    assert.equal(joinPath('/a/', 'b'), '/a/b');
    assert.equal(originForm('*'), '*');
  });

  it('describes the body framing: length, re-chunked, none', () => {
    const cl = build(ctxFor({ 'content-length': '5' }, { method: 'POST' }));
    assert.deepEqual(cl.framing, { hasBody: true, chunked: false, expectContinue: false });
    assert.deepEqual(cl.h['content-length'], ['5']);
    const te = build(ctxFor({ 'transfer-encoding': 'chunked' }, { method: 'POST' }));
    assert.deepEqual(te.framing, { hasBody: true, chunked: true, expectContinue: false });
    assert.deepEqual(te.h['transfer-encoding'], ['chunked']);
    const coded = build(ctxFor({ 'transfer-encoding': 'gzip, chunked' }, { method: 'POST' }));
    assert.deepEqual(coded.h['transfer-encoding'], ['gzip, chunked']);
    const none = build(ctxFor({ 'content-length': '0' }, { method: 'POST' }));
    assert.equal(none.framing.hasBody, false);
    assert.deepEqual(none.h['content-length'], ['0']);
  });

  it('forwards Expect: 100-continue only while the client still waits for it', () => {
    const waiting = build(ctxFor({ 'content-length': '5', expect: '100-continue' }, { method: 'PUT' }));
    assert.equal(waiting.framing.expectContinue, true);
    assert.deepEqual(waiting.h.expect, ['100-continue']);
    const told = build(
      ctxFor({ 'content-length': '5', expect: '100-continue' }, { method: 'PUT', sent100: true }),
    );
    assert.equal(told.framing.expectContinue, false);
    assert.equal(told.h.expect, undefined);
    // An HTTP/1.0 client does not wait for 100 Continue: Go ignores its Expect, and so does the proxy.
    const old = build(
      ctxFor({ 'content-length': '5', expect: '100-continue' }, { method: 'PUT', http10: true }),
    );
    assert.equal(old.framing.expectContinue, false);
    assert.equal(old.h.expect, undefined);
  });

  it('keeps Upgrade on an upgrade and labels WebSocket traffic ws/wss', () => {
    const headers = {
      host: 'example.com',
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'k',
    };
    const ws = build(ctxFor(headers), TARGET, true).h;
    assert.deepEqual(ws.upgrade, ['websocket']);
    assert.deepEqual(ws.connection, ['Upgrade']);
    assert.deepEqual(ws['x-forwarded-proto'], ['ws']);
    assert.deepEqual(build(ctxFor(headers, { scheme: 'https' }), TARGET, true).h['x-forwarded-proto'], [
      'wss',
    ]);
  });

  it('keeps "te: trailers", asks to close when reuse is off, and drops values that would break framing', () => {
    const { h } = build(ctxFor({ te: 'trailers', 'x-evil': 'a\r\nInjected: 1', 'x-list': ['a', 'b'] }), {
      ...TARGET,
      closeAfter: true,
    });
    assert.deepEqual(h.te, ['trailers']);
    assert.deepEqual(h.connection, ['close']);
    assert.equal(h['x-evil'], undefined);
    assert.equal(h.injected, undefined);
    assert.deepEqual(h['x-list'], ['a', 'b']);
  });

  it('derives X-Forwarded-Port like Traefik', () => {
    assert.equal(forwardedPort('h:81', undefined, 'http'), '81');
    assert.equal(forwardedPort('[::1]:82', undefined, 'http'), '82');
    assert.equal(forwardedPort('[::1]', undefined, 'https'), '443');
    assert.equal(forwardedPort('h', 'wss', 'http'), '443');
    assert.equal(forwardedPort(undefined, 'http', 'http'), '80');
  });
});
