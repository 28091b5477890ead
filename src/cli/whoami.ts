import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { pipeline } from 'node:stream';
import { parseDuration } from '../core/duration.js';
import type { Logger } from '../core/logger.js';
import { didYouMean } from '../core/suggest.js';

export interface WhoamiOptions {
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Printed as `Name:` and returned as `name`, to tell backends apart behind a load balancer. */
  name?: string;
}

export interface WhoamiServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

interface WhoamiState {
  readonly name: string | undefined;
  readonly hostname: string;
  readonly ips: readonly string[];
  /** The head of every text answer, built once. */
  readonly preamble: string;
  health: number;
}

const BENCH_HEADERS = ['Content-Type', 'text/plain', 'Content-Length', '1'];
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
// One shared block of a readable, deterministic pattern, sliced for /data answers.
const DATA_BLOCK = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789'.repeat(1821).slice(0, 65536), 'latin1');
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * A test and benchmark backend in the spirit of Traefik's `whoami`: it tells who answered and what it
 * received. Endpoints:
 * - any path not listed below: the request as text (who answered, then the request line and headers in
 *   their received case, then the body when there is one);
 * - `/api`: the same as JSON;
 * - `/bench`: `1`, as cheaply as Node allows (a benchmark backend);
 * - `/data?size=N&unit=KB|MB|GB|TB`: N bytes (units are powers of 1024; no unit means bytes);
 * - `/health`: GET/HEAD answer the current health status (200 at start); POST a status code to change it.
 * On every path but `/health`: `?wait=100ms` delays the answer, `?status=418` picks the status.
 *
 * @example
 *   const who = await startWhoami({ name: 'backend-1' });
 *   // curl http://127.0.0.1:${who.port}/api?status=503
 *   await who.close();
 */
export function startWhoami(opts: WhoamiOptions = {}): Promise<WhoamiServer> {
  const state = createState(opts.name);
  const server = http.createServer({ maxHeaderSize: 1024 * 1024, noDelay: true }, (req, res) =>
    handle(state, req, res),
  );
  // Benchmarks and proxies keep upstream connections open; do not drop them after Node's 5 s default.
  server.keepAliveTimeout = 75_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({ server, port, close: () => closeServer(server) });
    });
  });
}

/** `switchyard whoami --help`. */
export const USAGE = `Usage: switchyard whoami [--port=N] [--name=NAME] [--host=ADDRESS]

Runs an echo backend for tests and benchmarks until stopped:
  /                      the request as text (Name, Hostname, IPs, request line, headers, body)
  /api                   the same as JSON
  /bench                 "1", as cheaply as possible
  /data?size=N&unit=KB   N bytes (units KB, MB, GB, TB: powers of 1024)
  /health                GET: the current health status; POST a status code to change it
  ?wait=100ms delays an answer, ?status=418 picks its status (every path but /health).
Options:
  --port=N        port to listen on (default 80; 0 picks a free one)
  --name=NAME     name printed in every answer
  --host=ADDRESS  address to listen on (default 127.0.0.1)`;

const OPTIONS = ['port', 'name', 'host'];

/**
 * `switchyard whoami --port N [--name X] [--host A]`: serves until the process is stopped. Returns the
 * running server (the caller closes it on a signal), or the exit code of a bad command line (2).
 */
export async function runWhoamiCommand(argv: string[], logger: Logger): Promise<WhoamiServer | number> {
  const args = parseWhoamiArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`switchyard whoami: ${args}\n${USAGE}\n`);
    return 2;
  }
  const log = logger.child({ component: 'whoami' });
  const started = await startWhoami(args);
  log.info('whoami listening', { address: `${args.host ?? '127.0.0.1'}:${started.port}`, name: args.name });
  return started;
}

/** `--port=8080 --name x` (or `--port 8080`), or what is wrong with the command line. */
function parseWhoamiArgs(argv: string[]): { port: number; name?: string; host?: string } | string {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) return `unexpected argument "${a}"`;
    const eq = a.indexOf('=');
    const key = eq === -1 ? a.slice(2) : a.slice(2, eq);
    if (!OPTIONS.includes(key)) return `unknown option "--${key}"${didYouMean(key, OPTIONS)}`;
    if (eq !== -1) flags[key] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags[key] = argv[++i]!;
    else return `option "--${key}" needs a value`;
  }
  const port = Number(flags.port ?? '80');
  if (!/^\d+$/.test(flags.port ?? '80') || port > 65535) return `invalid --port "${flags.port}"`;
  const out: { port: number; name?: string; host?: string } = { port };
  if (flags.name !== undefined) out.name = flags.name;
  if (flags.host !== undefined) out.host = flags.host;
  return out;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Requests parked on ?wait or slow bodies must not hold the shutdown.
    server.closeAllConnections();
  });
}

function createState(name: string | undefined): WhoamiState {
  const hostname = os.hostname();
  const ips: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const entry of list ?? []) ips.push(entry.address);
  }
  let preamble = name ? `Name: ${name}\n` : '';
  preamble += `Hostname: ${hostname}\n`;
  for (const ip of ips) preamble += `IP: ${ip}\n`;
  return { name, hostname, ips, preamble, health: 200 };
}

function handle(state: WhoamiState, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  // The benchmark path comes first and allocates nothing it does not have to.
  if (q === -1 && url === '/bench') {
    res.writeHead(200, BENCH_HEADERS);
    res.end('1');
    return;
  }
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? undefined : new URLSearchParams(url.slice(q + 1));
  if (path === '/health') {
    healthEndpoint(state, req, res);
    return;
  }
  const controls = query ? readControls(query) : { status: 200, waitMs: 0 };
  if (typeof controls === 'string') {
    badRequest(res, controls);
    return;
  }
  const { status, waitMs } = controls;
  const answer = (): void => route(state, req, res, path, query, status);
  if (waitMs === 0) {
    answer();
    return;
  }
  const timer = setTimeout(answer, waitMs);
  res.once('close', () => clearTimeout(timer));
}

/** `?status=` and `?wait=`, or why they are invalid. */
function readControls(query: URLSearchParams): { status: number; waitMs: number } | string {
  const status = Number(query.get('status') ?? 200);
  if (!Number.isInteger(status) || status < 200 || status > 599) return 'invalid status';
  const wait = query.get('wait');
  const waitMs = wait === null ? 0 : parseDuration(wait);
  if (waitMs === undefined || waitMs < 0) return 'invalid wait duration';
  return { status, waitMs };
}

function route(
  state: WhoamiState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams | undefined,
  status: number,
): void {
  if (status === 204 || status === 304) {
    // These answers carry no body, whatever the path.
    req.resume();
    res.writeHead(status);
    res.end();
    return;
  }
  switch (path) {
    case '/bench':
      res.writeHead(status, BENCH_HEADERS);
      res.end('1');
      return;
    case '/api':
      sendJson(state, req, res, status);
      return;
    case '/data':
      sendData(req, res, query, status);
      return;
    default:
      sendEcho(state, req, res, status);
  }
}

function remoteAddr(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '';
  return ip.includes(':') ? `[${ip}]:${req.socket.remotePort}` : `${ip}:${req.socket.remotePort}`;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function sendEcho(state: WhoamiState, req: IncomingMessage, res: ServerResponse, status: number): void {
  let text = `${state.preamble}RemoteAddr: ${remoteAddr(req)}\n`;
  text += `${req.method} ${req.url} HTTP/${req.httpVersion}\n`;
  text += `Host: ${req.headers.host ?? ''}\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== 'host') text += `${raw[i]}: ${raw[i + 1]}\n`;
  }
  if (!hasBody(req)) {
    res.writeHead(status, { 'Content-Type': TEXT_TYPE, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  // The body follows the headers after a blank line, streamed as it arrives.
  res.writeHead(status, { 'Content-Type': TEXT_TYPE });
  res.write(`${text}\n`);
  pipeline(req, res, () => {});
}

function sendJson(state: WhoamiState, req: IncomingMessage, res: ServerResponse, status: number): void {
  // Header names keep the case they arrived in; values are lists, as repeated headers may arrive.
  const headers: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const list = headers[name];
    if (list) list.push(raw[i + 1]!);
    else headers[name] = [raw[i + 1]!];
  }
  const body = JSON.stringify({
    hostname: state.hostname,
    ip: state.ips,
    headers,
    url: req.url,
    host: req.headers.host ?? '',
    method: req.method,
    name: state.name ?? '',
    remoteAddr: remoteAddr(req),
  });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  req.resume();
}

function sendData(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams | undefined,
  status: number,
): void {
  const size = Number(query?.get('size') ?? '1');
  const unit = UNIT_BYTES[(query?.get('unit') ?? 'B').toUpperCase()];
  const total = size * (unit ?? Number.NaN);
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(total)) {
    badRequest(res, 'invalid size or unit');
    return;
  }
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/octet-stream',
    'Content-Length': total,
  };
  if (query?.get('attachment') === 'true') headers['Content-Disposition'] = 'attachment; filename="data.txt"';
  res.writeHead(status, headers);
  req.resume();
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, DATA_BLOCK.length);
      left -= n;
      const more = res.write(n === DATA_BLOCK.length ? DATA_BLOCK : DATA_BLOCK.subarray(0, n));
      if (!more && left > 0) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

function healthEndpoint(state: WhoamiState, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(state.health, { 'Content-Length': 0 });
    res.end();
    return;
  }
  let body = '';
  req.setEncoding('latin1');
  req.on('data', (chunk: string) => {
    body += chunk;
    if (body.length > 64) req.destroy(); // a status code is three digits
  });
  req.on('error', () => {});
  req.on('end', () => {
    const code = Number(body.trim());
    if (!Number.isInteger(code) || code < 200 || code > 599) {
      badRequest(res, 'invalid health status');
      return;
    }
    state.health = code;
    const text = `${code}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': text.length });
    res.end(text);
  });
}

function badRequest(res: ServerResponse, message: string): void {
  const text = `${message}\n`;
  res.writeHead(400, { 'Content-Type': 'text/plain', 'Content-Length': text.length, Connection: 'close' });
  res.end(text);
}
