import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../../test/helpers/chromium.js';
import { tempDir } from '../../../test/helpers/cli.js';
import type { Switchyard } from '../../index.js';
import { startEchoServer, unaryCallCount } from './test-echo.js';
import { startGrpcWebFront } from './test-front.js';

/*
 * gRPC-Web from a real browser (Debian's Chromium): a page on one origin calls Switchyard on another with
 * Connect's gRPC-Web client bundled for the browser, so the browser itself sends the CORS preflight,
 * enforces Access-Control-Allow-Origin and shows the page only the exposed headers. Over HTTP/1.1 and over
 * HTTP/2 (a TLS router offering only h2).
 */

/** The page's script: `window.echo(baseUrl, text)` runs a unary and a server-streaming call. */
const PAGE_SCRIPT = `
import { ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { EchoService } from './test-echo-proto.js';
window.echo = async (baseUrl, text) => {
  const client = createClient(EchoService, createGrpcWebTransport({ baseUrl, useBinaryFormat: true }));
  try {
    let header = {};
    let trailer = {};
    const reply = await client.unary({ text }, {
      headers: { 'x-token': 'from-browser' },
      onHeader: (h) => { header = Object.fromEntries(h); },
      onTrailer: (t) => { trailer = Object.fromEntries(t); },
    });
    const stream = [];
    for await (const m of client.serverStream({ text: '5' })) stream.push(m.text);
    return { text: reply.text, header, trailer, stream };
  } catch (err) {
    const e = ConnectError.from(err);
    return { code: e.code, message: e.rawMessage };
  }
};
`;

interface EchoResult {
  text?: string;
  header?: Record<string, string>;
  trailer?: Record<string, string>;
  stream?: string[];
  code?: number;
  message?: string;
}

let echo: Awaited<ReturnType<typeof startEchoServer>>;
let pages: http.Server;
let sy: Switchyard;
let browser: BrowserContext;
let page: Page;
let plainUrl = '';
let tlsUrl = '';

before(async () => {
  echo = await startEchoServer();
  const bundle = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.contents;
  pages = http.createServer((req, res) => {
    if (req.url === '/echo.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>echo</title><script type="module" src="/echo.js"></script>');
    }
  });
  await new Promise<void>((r) => pages.listen(0, '127.0.0.1', r));
  const pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

  ({ sy, plainUrl, tlsUrl } = await startGrpcWebFront(
    {
      routers: {
        plain: { rule: 'PathPrefix(`/`)', entryPoints: ['web'], service: 'echo', middlewares: ['gw'] },
        refused: {
          rule: 'PathPrefix(`/refused/`)',
          entryPoints: ['web'],
          service: 'echo',
          middlewares: ['strip', 'strict'],
        },
      },
      middlewares: {
        gw: { grpcWeb: { allowOrigins: [pageOrigin] } },
        strict: { grpcWeb: { allowOrigins: ['https://elsewhere.example'] } },
        strip: { stripPrefix: { prefixes: ['/refused'] } },
      },
      services: { echo: { loadBalancer: { servers: [{ url: `h2c://127.0.0.1:${echo.port}` }] } } },
    },
    'echo',
    ['gw'],
  ));
  // The TLS entrypoint's certificate is self-signed.
  browser = await launchChromium(tempDir('switchyard-grpcweb-browser-'), undefined, {
    ignoreHTTPSErrors: true,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(pageOrigin);
  await page.waitForFunction(() => typeof (globalThis as unknown as { echo?: unknown }).echo === 'function');
});

after(async () => {
  await browser?.close();
  await sy?.stop();
  echo?.close();
  pages?.closeAllConnections();
  await new Promise((r) => pages?.close(r));
});

const call = (baseUrl: string, text: string): Promise<EchoResult> =>
  page.evaluate(
    ([u, t]) =>
      (globalThis as unknown as { echo: (u: string, t: string) => Promise<EchoResult> }).echo(u!, t!),
    [baseUrl, text],
  );

for (const protocol of ['HTTP/1.1', 'HTTP/2'] as const) {
  describe(`a browser page calling over ${protocol}`, () => {
    const base = () => (protocol === 'HTTP/1.1' ? plainUrl : tlsUrl);

    it('gets the answer, the exposed response headers, the trailers and a stream', async () => {
      const r = await call(base(), 'browser');
      assert.equal(r.text, 'BROWSER|from-browser');
      assert.equal(r.header?.['x-header'], 'h', 'x-header must be exposed to the page');
      assert.equal(r.trailer?.['x-trailer'], 'end');
      assert.deepEqual(r.stream, ['msg-0', 'msg-1', 'msg-2', 'msg-3', 'msg-4']);
    });

    it('reads an error status from the headers of a trailers-only answer', async () => {
      const r = await call(base(), 'missing');
      assert.deepEqual([r.code, r.message], [5 /* NOT_FOUND */, 'no such thing']);
    });
  });
}

describe('a page whose origin is not allowed', () => {
  it('is stopped by the browser at the preflight: the call never reaches the server', async () => {
    const before = unaryCallCount();
    const r = await call(`${plainUrl}/refused`, 'sneaky');
    assert.equal(r.text, undefined);
    assert.notEqual(r.code, undefined);
    assert.equal(unaryCallCount(), before);
  });
});
