import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchyardError } from '../core/errors.js';
import { type HttpContext, type HttpHandler, sendText } from '../core/http-context.js';
import { rootLogger } from '../core/logger.js';
import { HTTP1 } from '../entrypoints/http1-adapter.js';
import { createContext } from '../entrypoints/request-context.js';
import type { Middleware, MiddlewareBuildContext } from './contract.js';
import { isForwardedForSuppressed } from './forwarded-for.js';

/*
 * Test support for middleware tests (imported by *.test.ts only): a real HTTP server on 127.0.0.1 port 0
 * whose handler wraps each request in an HttpContext and runs it through a middleware.
 */

/** An HttpContext around a real request/response pair, built the way the entrypoint builds it. */
export function testContext(
  req: IncomingMessage,
  res: ServerResponse,
  scheme: 'http' | 'https',
): HttpContext {
  return createContext(req, res, HTTP1, 'test', scheme);
}

/** What `echo` answers: the request as the upstream would receive it. */
export interface Echo {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  forwardedForSuppressed: boolean;
}

/** A terminal handler that answers 200 with the request it received (see `Echo`), honouring head hooks. */
export const echo: HttpHandler = (ctx) => {
  const body: Echo = {
    method: ctx.req.method ?? '',
    url: ctx.req.url ?? '',
    path: ctx.path,
    headers: ctx.req.headers,
    forwardedForSuppressed: isForwardedForSuppressed(ctx),
  };
  sendText(ctx, 200, JSON.stringify(body), { 'content-type': 'application/json' });
};

/** A build context for `create`; `middlewares` are what `middleware(name)` resolves (unqualified names). */
export function testBuildContext(middlewares: Record<string, Middleware> = {}): MiddlewareBuildContext {
  return {
    name: 'test@file',
    provider: 'file',
    logger: rootLogger.child({ middleware: 'test@file' }),
    signal: new AbortController().signal,
    generation: 1,
    middleware(name) {
      const mw = middlewares[name];
      if (!mw) throw new SwitchyardError('CONFIG_REFERENCE', `middleware "${name}@file" does not exist`);
      return mw;
    },
    service(name) {
      throw new SwitchyardError('CONFIG_REFERENCE', `service "${name}@file" does not exist`);
    },
  };
}

/** A response read to the end. */
export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A running test server. */
export interface TestServer {
  /** Sends one request; `path` is sent exactly as given (no URL normalisation). */
  request(
    path: string,
    init?: { method?: string; headers?: Record<string, string | string[]>; body?: string },
  ): Promise<TestResponse>;
  /** Like `request`, and parses the body as the `Echo` of the terminal handler. */
  echo(path: string, init?: { method?: string; headers?: Record<string, string | string[]> }): Promise<Echo>;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 port 0 that runs every request through `middleware(next)`; the handler is
 * built once, as the graph builder would.
 */
export async function serveMiddleware(
  middleware: Middleware,
  opts: { next?: HttpHandler; scheme?: 'http' | 'https' } = {},
): Promise<TestServer> {
  const handler = middleware(opts.next ?? echo);
  const scheme = opts.scheme ?? 'http';
  const server = http.createServer((req, res) => handler(testContext(req, res, scheme)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const request: TestServer['request'] = (path, init = {}) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  return {
    request,
    async echo(path, init) {
      const res = await request(path, init);
      if (res.status !== 200)
        throw new Error(`expected 200 from the echo handler, got ${res.status}: ${res.body}`);
      return JSON.parse(res.body) as Echo;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * One case of a path-rewriting table (Traefik's tests, transcribed): the path a client sends and what
 * the upstream then receives, or the status the middleware answers instead.
 */
export interface RewriteCase {
  desc: string;
  /** Path sent, exactly as written (escapes included). */
  path: string;
  /** Status when the middleware answers itself (400…); unset: the request reaches the upstream. */
  status?: number;
  /** Request target the upstream receives; unset: the path is unchanged. */
  url?: string;
  /** Value of the middleware's header (`X-Forwarded-Prefix`, `X-Replaced-Path`); unset: none. */
  header?: string;
}

/** Sends `c.path` through `server` and checks the outcome against the case. */
export async function checkRewrite(server: TestServer, c: RewriteCase, headerName: string): Promise<void> {
  if (c.status !== undefined) {
    assert.equal((await server.request(c.path)).status, c.status);
    return;
  }
  const got = await server.echo(c.path);
  assert.equal(got.url, c.url ?? c.path, 'request target sent upstream');
  assert.equal(got.headers[headerName], c.header, headerName);
}
