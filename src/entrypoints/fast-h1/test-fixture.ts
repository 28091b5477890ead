import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { WebSocketServer } from 'ws';
import { startBackend } from '../../../test/helpers/backends.js';
import type { DownstreamProtocol, HttpContext } from '../../core/http-context.js';
import { Logger } from '../../core/logger.js';
import { forward } from '../../proxy/forward.js';
import { createUpstreamTarget } from '../../proxy/target.js';
import { HttpEntryPoint } from '../http-entrypoint.js';
import { FAST_PATH_ENV } from './server.js';

/** Tests of the HTTP/1 fast path: a real backend behind a real entrypoint forwarding with the proxy. */

let generation = 7000;

/** What the backend does per path; every other path answers `ok <method> <url>`. */
function backendRoutes(gone: string[], held: (() => void)[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    if (path === '/held') {
      held.push(() => res.end('released'));
    } else if (path === '/hints') {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.end('after hints');
    } else if (path === '/echo') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`${req.method} ${Buffer.concat(chunks).toString()}`));
    } else if (path === '/chunked') {
      res.write('one,');
      res.write('two,');
      setImmediate(() => res.end('three'));
    } else if (path === '/big') {
      res.setHeader('content-length', BIG);
      res.end(Buffer.alloc(BIG, 'x'));
    } else if (path === '/endless') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
      res.on('close', () => gone.push(path));
    } else if (path === '/204' || path === '/304') {
      res.writeHead(Number(path.slice(1)), { etag: '"e"' });
      res.end();
    } else {
      const body = `ok ${req.method} ${path}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
      res.end(body);
    }
  };
}

/** Size of `/big`'s body. */
export const BIG = 8 * 1024 * 1024;

export interface Fixture {
  port: number;
  /** The protocol object of each request the entrypoint served, in arrival order. */
  protocols: DownstreamProtocol[];
  contexts: HttpContext[];
  /** Backend paths whose response was cut by the proxy (the upstream exchange ended early). */
  gone: string[];
  backendRequests: () => number;
  /** Answers the `/held` requests the backend is holding; how many there were. */
  release(): number;
  /** How many `/held` requests the backend holds. */
  heldCount(): number;
  /** The entrypoint's graceful stop (the backend keeps running). */
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

/** A backend and an entrypoint in front of it; `fast: false` turns the fast path off for this one. */
export async function startFixture(
  opts: { fast?: boolean; readTimeoutMs?: number; idleTimeoutMs?: number; maxHeaderBytes?: number } = {},
): Promise<Fixture> {
  const gone: string[] = [];
  const held: (() => void)[] = [];
  const backend = await startBackend(backendRoutes(gone, held));
  const wss = new WebSocketServer({ server: backend.server });
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  const target = createUpstreamTarget(
    { url: backend.url },
    { name: `fast-h1-${generation}`, config: {} },
    { passHostHeader: true, generation: generation++ },
  );
  const protocols: DownstreamProtocol[] = [];
  const contexts: HttpContext[] = [];
  const handler = (ctx: HttpContext) => {
    protocols.push(ctx.protocol);
    contexts.push(ctx);
    forward(ctx, target);
  };
  const before = process.env[FAST_PATH_ENV];
  if (opts.fast === false) process.env[FAST_PATH_ENV] = 'off';
  else delete process.env[FAST_PATH_ENV];
  const ep = new HttpEntryPoint(
    {
      name: 'web',
      address: '127.0.0.1:0',
      readTimeoutMs: opts.readTimeoutMs ?? 10_000,
      writeTimeoutMs: 0,
      idleTimeoutMs: opts.idleTimeoutMs ?? 5_000,
      maxHeaderBytes: opts.maxHeaderBytes ?? 8_192,
      requestAcceptGraceTimeoutMs: 0,
      graceTimeOutMs: 5_000,
      sanitizePath: true,
    },
    Logger.create({ level: 'FATAL' }),
    { http: handler, https: handler },
  );
  if (before === undefined) delete process.env[FAST_PATH_ENV];
  else process.env[FAST_PATH_ENV] = before;
  await ep.listen();
  return {
    port: ep.boundPort,
    protocols,
    contexts,
    gone,
    backendRequests: () => backend.requests.length,
    release: () => {
      const n = held.length;
      for (const answer of held.splice(0)) answer();
      return n;
    },
    heldCount: () => held.length,
    shutdown: () => ep.shutdown(),
    close: async () => {
      await ep.shutdown();
      wss.close();
      await backend.close();
    },
  };
}

/** Sends `data` on a new connection and collects everything until the server closes it. */
export function rawExchange(port: number, data: string | Buffer, endWrite = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(data);
    if (endWrite) socket.end();
  });
}

/** The status lines in a stream of responses. */
export function statusLines(text: string): string[] {
  return text.match(/HTTP\/1\.[01] \d{3} [^\r]*/g) ?? [];
}
