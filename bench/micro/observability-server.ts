/**
 * One proxy for bench/micro/observability.ts: a real HttpEntryPoint forwarding to the backend with
 * src/proxy, with or without the observability subscribers.
 *
 *   node --import tsx bench/micro/observability-server.ts <mode> <listenPort> <backendPort> [entrypointModule]
 *
 * Modes: `none` (no subscriber), `metrics` (Prometheus, all label sets), `stats` (dashboard counters),
 * `accesslog` (common format to a file, bufferingSize 100), `all` (the three, plus tracing at sampleRate 0).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { normalize } from '../../src/config/schema/normalize.js';
import { AccessLogSchema, TracingSchema } from '../../src/config/static/schema-logs.js';
import { MetricsSchema } from '../../src/config/static/schema-metrics.js';
import type { HttpHandler } from '../../src/core/http-context.js';
import { Logger } from '../../src/core/logger.js';
import { createAccessLog } from '../../src/observability/accesslog/index.js';
import { createMetrics } from '../../src/observability/metrics/index.js';
import { RequestStats } from '../../src/observability/stats.js';
import { createTracing } from '../../src/observability/tracing/index.js';
import { forward } from '../../src/proxy/forward.js';
import { createUpstreamTarget } from '../../src/proxy/target.js';

const [mode = 'none', listen = '18090', backend = '18080', epModule] = process.argv.slice(2);
const { HttpEntryPoint } = (await import(
  epModule ?? '../../src/entrypoints/http-entrypoint.js'
)) as typeof import('../../src/entrypoints/http-entrypoint.js');
const logger = Logger.create({ level: 'FATAL' });

if (mode === 'metrics' || mode === 'all') {
  createMetrics(
    normalize(MetricsSchema, { prometheus: { addRoutersLabels: true, addServicesLabels: true } }).value,
  );
}
if (mode === 'stats' || mode === 'all') new RequestStats();
if (mode === 'accesslog' || mode === 'all') {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sy-bench-al-')), 'access.log');
  createAccessLog(normalize(AccessLogSchema, { filePath: file, bufferingSize: 100 }).value, logger);
}
if (mode === 'all') {
  createTracing(
    normalize(TracingSchema, { sampleRate: 0, otlp: { http: { endpoint: 'http://127.0.0.1:9/v1/traces' } } })
      .value,
    logger,
  );
}

const target = createUpstreamTarget(
  { url: `http://127.0.0.1:${backend}` },
  { name: 'default@internal', config: { maxIdleConnsPerHost: 1024 } },
  { passHostHeader: true, generation: 1 },
);
const handler: HttpHandler = (ctx) => {
  ctx.routerName = 'bench@file';
  ctx.serviceName = 'backend@file';
  forward(ctx, target);
};
const ep = new HttpEntryPoint(
  {
    name: 'web',
    address: `127.0.0.1:${listen}`,
    readTimeoutMs: 60_000,
    writeTimeoutMs: 0,
    idleTimeoutMs: 180_000,
    maxHeaderBytes: 1 << 20,
    requestAcceptGraceTimeoutMs: 0,
    graceTimeOutMs: 1_000,
    sanitizePath: true,
  },
  logger,
  { http: handler, https: handler },
);
await ep.listen();
