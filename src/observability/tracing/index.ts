import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { StaticConfig } from '../../config/static/index.js';
import type { HttpContext } from '../../core/http-context.js';
import type { Logger } from '../../core/logger.js';
import { HTTP_REQUEST_END_CHANNEL, HTTP_REQUEST_START_CHANNEL } from '../../entrypoints/http-entrypoint.js';
import { finalStatus } from '../request-facts.js';
import { OtlpHttpExporter, type SpanRecord } from './exporter.js';
import { formatTraceParent, newSpanId, newTraceId, parseTraceParent } from './traceparent.js';

export interface Tracing {
  /** Sends what is queued and stops tracing. */
  close(): Promise<void>;
  /** Sends what is queued now. */
  flush(): Promise<void>;
}

interface Active {
  traceId: string;
  spanId: string;
  parent: string | undefined;
  sampled: boolean;
}

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/**
 * W3C trace context and OTLP/HTTP export. Each request gets a server span: the incoming `traceparent`
 * is continued (its sampled flag respected) or a new trace starts (sampled at `sampleRate`), and the
 * request goes upstream with a `traceparent` naming this span. Returns undefined without `tracing`.
 * Only the OTLP HTTP transport is implemented (JSON encoding); `otlp.grpc` logs a warning.
 */
export function createTracing(config: StaticConfig['tracing'], logger: Logger): Tracing | undefined {
  if (!config) return undefined;
  const log = logger.child({ component: 'tracing' });
  if (config.otlp?.grpc) log.warn('tracing.otlp.grpc is not supported yet; use tracing.otlp.http');
  const http =
    config.otlp?.http ?? (config.otlp?.grpc ? undefined : { endpoint: 'https://localhost:4318/v1/traces' });
  const resource = {
    ...config.globalAttributes,
    ...config.resourceAttributes,
    'service.name': config.serviceName,
  };
  const exporter = http ? new OtlpHttpExporter(http.endpoint, http.headers ?? {}, resource, log) : undefined;
  const active = new WeakMap<HttpContext, Active>();

  const onStart = (m: unknown) => {
    const ctx = m as HttpContext;
    const incoming = parseTraceParent(ctx.req.headers.traceparent);
    const sampled = incoming ? incoming.sampled : Math.random() < config.sampleRate;
    const span: Active = {
      traceId: incoming?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      parent: incoming?.spanId,
      sampled,
    };
    active.set(ctx, span);
    // The proxy serialises req.headers, so the upstream sees this span as its parent.
    ctx.req.headers.traceparent = formatTraceParent(span.traceId, span.spanId, sampled);
  };
  const onEnd = (m: unknown) => {
    const ctx = m as HttpContext;
    const span = active.get(ctx);
    if (!span?.sampled || !exporter) return;
    if (!config.addInternals && ctx.routerName?.endsWith('@internal')) return;
    const status = finalStatus(ctx);
    const attrs: Record<string, string | number> = {
      'http.request.method': ctx.req.method ?? '',
      'url.path': ctx.path,
      'url.scheme': ctx.scheme,
      'server.address': ctx.host,
      'client.address': ctx.clientIp,
      'http.response.status_code': status,
      'network.protocol.version': ctx.req.httpVersion,
      'traefik.entrypoint': ctx.entryPoint,
    };
    if (ctx.routerName) attrs['traefik.router.name'] = ctx.routerName;
    if (ctx.serviceName) attrs['traefik.service.name'] = ctx.serviceName;
    if (ctx.serverUrl) attrs['server.url'] = ctx.serverUrl;
    for (const h of config.capturedRequestHeaders ?? []) {
      const v = ctx.req.headers[h.toLowerCase()];
      if (v !== undefined) attrs[`http.request.header.${h.toLowerCase()}`] = String(v);
    }
    const record: SpanRecord = {
      traceId: span.traceId,
      spanId: span.spanId,
      name: ctx.entryPoint,
      kind: 2,
      startTimeUnixNano: nanos(performance.timeOrigin + ctx.startedAt),
      endTimeUnixNano: nanos(performance.timeOrigin + performance.now()),
      attributes: Object.entries(attrs).map(([key, v]) => ({
        key,
        value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
      })),
      status: { code: status >= 500 ? 2 : 0 },
    };
    if (span.parent) record.parentSpanId = span.parent;
    exporter.add(record);
  };
  diagnostics.subscribe(HTTP_REQUEST_START_CHANNEL, onStart);
  diagnostics.subscribe(HTTP_REQUEST_END_CHANNEL, onEnd);
  return {
    flush: () => exporter?.flush() ?? Promise.resolve(),
    close: async () => {
      diagnostics.unsubscribe(HTTP_REQUEST_START_CHANNEL, onStart);
      diagnostics.unsubscribe(HTTP_REQUEST_END_CHANNEL, onEnd);
      await exporter?.close();
    },
  };
}
