/**
 * Real upstream servers for tests, all on 127.0.0.1 port 0, plus a minimal front server that turns each
 * request into an HttpContext (standing in for the entrypoint) so handlers can be tested over real sockets.
 *
 * @example
 *   const backend = await startBackend();
 *   // … send traffic through the proxy to backend.url …
 *   assert.equal(backend.requests[0]!.headers['x-forwarded-proto'], 'http');
 *   await backend.close();
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Duplex, Readable } from 'node:stream';
import type { HttpContext, HttpHandler } from '../../src/core/http-context.js';
import { HTTP1 } from '../../src/entrypoints/http1-adapter.js';

/** What a backend saw of one request. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Header lines as received (names in their original case, repeats kept). */
  rawHeaders: string[];
}

/** A running test server. */
export interface Backend {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as a small number). */
  connections: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/** Default answer: 200 `text/plain` body `ok <method> <url>`. */
function defaultHandler(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'text/plain');
  res.end(`ok ${req.method} ${req.url}`); // Node adds Content-Length
}

/** An HTTP/1.1 backend; `handler` answers (default: 200 `ok <method> <url>`). */
export async function startBackend(
  handler: (req: IncomingMessage, res: ServerResponse) => void = defaultHandler,
  options: http.ServerOptions = {},
): Promise<Backend & { server: http.Server }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer({ keepAliveTimeout: 30_000, ...options }, (req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    });
    req.on('error', () => {});
    res.on('error', () => {});
    handler(req, res);
  });
  const backend = await listen(server, requests);
  server.on('clientError', (_err, socket) => socket.destroy());
  return Object.assign(backend, { server });
}

/** A backend that waits `delayMs` before sending its response head (for timeouts and client aborts). */
export function startSlowBackend(
  delayMs: number,
): Promise<Backend & { server: http.Server; aborted: number[] }> {
  const aborted: number[] = [];
  return startBackend((req, res) => {
    const index = aborted.length;
    const timer = setTimeout(() => defaultHandler(req, res), delayMs);
    res.on('close', () => {
      if (!res.writableFinished) {
        clearTimeout(timer);
        aborted.push(index);
      }
    });
  }).then((b) => Object.assign(b, { aborted }));
}

/**
 * A raw TCP backend: `onConnection` gets each socket and scripts the bytes itself (malformed answers,
 * chunked framing by hand, resets…). Requests are not parsed or recorded.
 */
export function startRawBackend(onConnection: (socket: net.Socket) => void): Promise<Backend> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    onConnection(socket);
  });
  return listen(server, []);
}

/**
 * Answers each request's head with `Content-Length: 1000` and 10 bytes of body, then waits: `reset()`
 * resets (TCP RST) every connection that got its answer. Call it once the client has seen the head, so the
 * reset lands mid-response and never races the head.
 */
export async function startResettingBackend(): Promise<Backend & { reset(): void }> {
  const answered = new Set<net.Socket>();
  const backend = await startRawBackend((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789', () => answered.add(socket));
    });
    socket.once('close', () => answered.delete(socket));
  });
  const reset = () => {
    for (const socket of answered) socket.resetAndDestroy();
  };
  return Object.assign(backend, { reset });
}

/** Sends a complete response head (`Content-Length: 100`) and closes the connection without a body. */
export function startClosingBackend(): Promise<Backend> {
  return startRawBackend((socket) => {
    socket.once('data', () => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n');
    });
  });
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * An address where TCP connects hang (dial timeouts): a python3 process listens with a backlog of 0 and
 * never accepts; a few filler connections fill the queue, so the next SYN is dropped.
 */
export async function startBlackholeBackend(): Promise<{ url: string; close(): Promise<void> }> {
  const script = [
    'import socket, sys',
    's = socket.socket()',
    "s.bind(('127.0.0.1', 0))",
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  const fillers: net.Socket[] = [];
  const fill = () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
    return s;
  };
  // The first filler takes the only place in the accept queue: once it is connected, the queue is full.
  await once(fill(), 'connect');
  // The kernel may still complete a handshake that was under way: these take any such place first.
  for (let i = 0; i < 3; i++) fill();
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of fillers) s.destroy();
      child.stdin.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function listen(server: net.Server, requests: RecordedRequest[]): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A front server standing in for the entrypoint; `contexts` holds every context it built. */
export interface Frontend extends Backend {
  server: http.Server;
  contexts: HttpContext[];
}

/**
 * Starts `http.createServer` on port 0 that builds an HttpContext per request (also for
 * `Expect: 100-continue` and `Upgrade` requests, as the entrypoint does) and calls `handler`.
 */
export async function startFrontend(handler: HttpHandler): Promise<Frontend> {
  const contexts: HttpContext[] = [];
  const server = http.createServer({ keepAliveTimeout: 30_000 });
  const run = (
    req: IncomingMessage,
    res: ServerResponse,
    upgrade?: { socket: Duplex; head: Buffer },
  ): void => {
    req.on('error', () => {});
    res.on('error', () => {});
    const ctx = testContext(req, res, upgrade);
    contexts.push(ctx);
    handler(ctx);
  };
  server.on('request', (req, res) => run(req, res));
  server.on('checkContinue', (req, res) => run(req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as net.Socket);
    res.shouldKeepAlive = false;
    run(req, res, { socket, head });
  });
  const base = await listen(server, []);
  return Object.assign(base, { server, contexts });
}

/** A context as the entrypoint builds it, for handlers under test. */
export function testContext(
  req: IncomingMessage,
  res: ServerResponse,
  upgrade?: { socket: Duplex; head: Buffer },
  scheme: 'http' | 'https' = 'http',
): HttpContext {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const ip = req.socket.remoteAddress ?? '';
  return {
    req,
    res,
    rawRes: res,
    protocol: HTTP1,
    entryPoint: 'web',
    scheme,
    clientIp: ip.startsWith('::ffff:') ? ip.slice(7) : ip,
    clientPort: req.socket.remotePort ?? 0,
    host: (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase(),
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    startedAt: performance.now(),
    routerName: undefined,
    serviceName: undefined,
    serverUrl: undefined,
    retryAttempts: 0,
    origin: undefined,
    headHooks: undefined,
    upgrade,
    abortedStatus: undefined,
    forwardedFor: 'append',
  };
}

/** A complete response as `httpRequest` returns it. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP/1.1 request with node:http (no agent unless given), the whole response body collected.
 * `body` may be a Readable, which is piped (chunked unless a content-length header is set).
 */
export function httpRequest(
  url: string,
  opts: http.RequestOptions & { body?: Buffer | string | Readable } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: false, ...opts }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body instanceof Readable) opts.body.pipe(req);
    else req.end(opts.body);
  });
}
