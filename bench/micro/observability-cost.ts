/**
 * CPU cost per request of each observability subscriber, measured in-process: a real request context
 * (one real keep-alive request captured from an HttpEntryPoint) is published on the request channels N
 * times. Robust on a busy machine where wrk figures are not; reports microseconds per request.
 *
 *   node --import tsx bench/micro/observability-cost.ts [--n 200000]
 */
import diagnostics from 'node:diagnostics_channel';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { normalize } from '../../src/config/schema/normalize.js';
import { AccessLogSchema } from '../../src/config/static/schema-logs.js';
import { MetricsSchema } from '../../src/config/static/schema-metrics.js';
import type { HttpContext } from '../../src/core/http-context.js';
import { Logger } from '../../src/core/logger.js';
import {
  HTTP_REQUEST_END_CHANNEL,
  HTTP_REQUEST_START_CHANNEL,
} from '../../src/entrypoints/http-entrypoint.js';
import { createAccessLog } from '../../src/observability/accesslog/index.js';
import { createMetrics } from '../../src/observability/metrics/index.js';
import { RequestStats } from '../../src/observability/stats.js';
import { fakeRoute, startTestEntryPoint } from '../../src/observability/test-entrypoint.js';
import { request } from '../../test/helpers/http.js';

const i = process.argv.indexOf('--n');
const n = i > 0 ? Number(process.argv[i + 1]) : 200_000;
let captured: HttpContext | undefined;
const route = fakeRoute(200, 'hello world\n', 'bench@file', 'backend@file');
const ep = await startTestEntryPoint((ctx) => {
  captured = ctx;
  route(ctx);
});
await request(ep.url('/bench?x=1'), { headers: { 'user-agent': 'bench' } });
await ep.close();
const ctx = captured!;
const start = diagnostics.channel(HTTP_REQUEST_START_CHANNEL);
const end = diagnostics.channel(HTTP_REQUEST_END_CHANNEL);

function measure(label: string): void {
  for (let k = 0; k < 10_000; k++) {
    if (start.hasSubscribers) start.publish(ctx);
    if (end.hasSubscribers) end.publish(ctx);
  }
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    if (start.hasSubscribers) start.publish(ctx);
    if (end.hasSubscribers) end.publish(ctx);
  }
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${label.padEnd(34)} ${us.toFixed(3)} µs/request`);
}

const logger = Logger.create({ level: 'FATAL' });
measure('no subscriber');
const metrics = createMetrics(normalize(MetricsSchema, { prometheus: {} }).value)!;
measure('prometheus (defaults)');
metrics.close();
const all = createMetrics(normalize(MetricsSchema, { prometheus: { addRoutersLabels: true } }).value)!;
measure('prometheus (+ router labels)');
all.close();
const stats = new RequestStats();
measure('dashboard stats');
stats.close();
const file = path.join(mkdtempSync(path.join(tmpdir(), 'sy-cost-')), 'access.log');
const log = createAccessLog(
  normalize(AccessLogSchema, { filePath: file, bufferingSize: 1000 }).value,
  logger,
)!;
measure('access log (common, file)');
await log.close();
const json = createAccessLog(
  normalize(AccessLogSchema, { filePath: file, format: 'json', bufferingSize: 1000 }).value,
  logger,
)!;
measure('access log (json, file)');
await json.close();
