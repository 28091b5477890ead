import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type { HttpContext } from '../../core/http-context.js';
import { originFacts } from '../origin-facts.js';
import { finalStatus, requestBytes, responseBytes } from '../request-facts.js';
import { localIso, utcIso } from './clock.js';

/** One access log entry: Traefik's field names (reference §1.6) and header fields `request_<H>`… */
export type AccessRecord = Record<string, string | number>;

/** What the start subscriber remembers about a request (the URI before any middleware rewrote it). */
export interface StartFacts {
  uri: string;
  count: number;
}

const TLS_NAMES: Record<string, string> = {
  'TLSv1.3': '1.3',
  'TLSv1.2': '1.2',
  'TLSv1.1': '1.1',
  TLSv1: '1.0',
};

/** `user-agent` → `User-Agent`, as Go canonicalises header names. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

function hostPort(value: string): [string, string] {
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(value);
  return m ? [m[1] ?? value, m[2] ?? ''] : [value, ''];
}

/** Every core field of one finished request (durations in nanoseconds, as Traefik's JSON). */
export function coreFields(ctx: HttpContext, start: StartFacts | undefined): AccessRecord {
  const req = ctx.req;
  const now = performance.now();
  const durationNs = Math.round((now - ctx.startedAt) * 1e6);
  const startMs = performance.timeOrigin + ctx.startedAt;
  const status = finalStatus(ctx);
  const size = responseBytes(ctx);
  const proto = `HTTP/${req.httpVersion}`;
  const uri = start?.uri ?? req.url ?? '/';
  const hostHeader = req.headers.host ?? '';
  const [, requestPort] = hostPort(hostHeader);
  const record: AccessRecord = {
    StartUTC: utcIso(startMs),
    StartLocal: localIso(startMs),
    Duration: durationNs,
    ClientAddr: `${ctx.clientIp}:${ctx.clientPort}`,
    ClientHost: ctx.clientIp,
    ClientPort: String(ctx.clientPort),
    ClientUsername: ctx.clientUsername ?? '-',
    RequestAddr: hostHeader,
    RequestHost: ctx.host,
    RequestPort: requestPort || '-',
    RequestMethod: req.method ?? '',
    RequestPath: uri,
    RequestProtocol: proto,
    RequestScheme: ctx.scheme,
    RequestLine: `${req.method} ${uri} ${proto}`,
    RequestContentSize: requestBytes(ctx),
    DownstreamStatus: status,
    DownstreamStatusLine: statusLine(status),
    DownstreamContentSize: size,
    RequestCount: start?.count ?? 0,
    RetryAttempts: ctx.retryAttempts,
  };
  if (ctx.routerName !== undefined) record.RouterName = ctx.routerName;
  if (ctx.serviceName !== undefined) record.ServiceName = ctx.serviceName;
  if (ctx.serverUrl !== undefined) {
    record.ServiceURL = ctx.serverUrl;
    record.ServiceAddr = serviceAddr(ctx.serverUrl);
    // What the server sent, as the proxy saw it; an upgrade (no facts) passes through unchanged.
    const origin = originFacts(ctx);
    const originStatus = origin?.status || status;
    const originSize = origin ? origin.bytes : size;
    const originNs = origin ? Math.round(((origin.endedAt || now) - origin.startedAt) * 1e6) : durationNs;
    record.OriginStatus = originStatus;
    record.OriginStatusLine = statusLine(originStatus);
    record.OriginContentSize = originSize;
    record.OriginDuration = originNs;
    record.Overhead = Math.max(0, durationNs - originNs);
    record.GzipRatio = size !== originSize && size !== 0 ? originSize / size : 0;
  } else {
    record.OriginDuration = 0;
    record.Overhead = durationNs;
  }
  if (ctx.scheme === 'https') {
    const tls = req.socket as TLSSocket;
    record.TLSVersion = TLS_NAMES[tls.getProtocol?.() ?? ''] ?? '';
    record.TLSCipher = tls.getCipher?.()?.standardName ?? '';
    const peer = tls.getPeerCertificate?.();
    if (peer?.subject)
      record.TLSClientSubject = Object.entries(peer.subject)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
  }
  return record;
}

/** `http://10.0.0.7:8080/base` → `10.0.0.7:8080`. */
function serviceAddr(url: string): string {
  const start = url.indexOf('//') + 2;
  const end = url.indexOf('/', start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}
