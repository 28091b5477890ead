/**
 * One proxy under test for bench/micro/forward.ts: `node --import tsx bench/micro/forward-server.ts
 * <mode> <listenPort> <backendPort>`. Modes: `direct` (Node answering itself: the ceiling), `agent`
 * (node:http client with a keep-alive Agent), `undici` (undici Pool.dispatch, raw headers), `switchyard`
 * (src/proxy forward over its own pool and parser). Prints `ready` when listening.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { HttpContext } from '../../src/core/http-context.js';
import { HTTP1 } from '../../src/entrypoints/http1-adapter.js';
import { forward } from '../../src/proxy/forward.js';
import { createUpstreamTarget } from '../../src/proxy/target.js';

const [mode = 'switchyard', listen = '18090', backend = '18080'] = process.argv.slice(2);
const backendPort = Number(backend);
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function direct(): Handler {
  const body = Buffer.from('hello world\n');
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  };
}

function agent(): Handler {
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 256 });
  return (req, res) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const k in req.headers) if (!HOP.has(k)) headers[k] = req.headers[k];
    headers['x-forwarded-for'] = req.socket.remoteAddress;
    const up = http.request(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers, agent: keepAlive },
      (ur) => {
        const h: http.OutgoingHttpHeaders = {};
        for (const k in ur.headers) if (!HOP.has(k)) h[k] = ur.headers[k];
        res.writeHead(ur.statusCode ?? 502, h);
        ur.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };
}

function undici(): Handler {
  const pool = new Pool(`http://127.0.0.1:${backendPort}`, { connections: 1024, pipelining: 1 });
  return (req, res) => {
    const headers: string[] = [];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2)
      if (!HOP.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
    headers.push('x-forwarded-for', req.socket.remoteAddress ?? '');
    const hasBody =
      req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    pool.dispatch(
      { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: hasBody ? req : null },
      {
        onConnect() {},
        onError() {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        },
        onHeaders(status: number, rawHeaders: Buffer[]) {
          const out: string[] = [];
          for (let i = 0; i < rawHeaders.length; i += 2) {
            const k = rawHeaders[i]!.toString('latin1');
            if (!HOP.has(k.toLowerCase())) out.push(k, rawHeaders[i + 1]!.toString('latin1'));
          }
          res.writeHead(status, out);
          return true;
        },
        onData(chunk: Buffer) {
          return res.write(chunk);
        },
        onComplete() {
          res.end();
        },
      },
    );
  };
}

function switchyard(): Handler {
  const target = createUpstreamTarget(
    { url: `http://127.0.0.1:${backendPort}` },
    { name: 'default@internal', config: { maxIdleConnsPerHost: 1024 } },
    { passHostHeader: true, generation: 1 },
  );
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const ctx: HttpContext = {
      req,
      res,
      rawRes: res,
      protocol: HTTP1,
      entryPoint: 'web',
      scheme: 'http',
      clientIp: req.socket.remoteAddress ?? '',
      clientPort: req.socket.remotePort ?? 0,
      host: req.headers.host ?? '',
      path: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      startedAt: performance.now(),
      routerName: undefined,
      serviceName: undefined,
      serverUrl: undefined,
      retryAttempts: 0,
      origin: undefined,
      headHooks: undefined,
      upgrade: undefined,
      abortedStatus: undefined,
      forwardedFor: 'append',
    };
    forward(ctx, target);
  };
}

const handlers: Record<string, () => Handler> = { direct, agent, undici, switchyard };
const make = handlers[mode];
if (!make) throw new Error(`unknown mode ${mode}; one of ${Object.keys(handlers).join(', ')}`);
const server = http.createServer({ keepAliveTimeout: 60_000 }, make());
server.listen(Number(listen), '127.0.0.1', () => console.log('ready'));
