import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { StaticConfig } from '../../config/static/index.js';
import type { HttpContext } from '../../core/http-context.js';
import type { Logger } from '../../core/logger.js';
import { HTTP_REQUEST_END_CHANNEL, HTTP_REQUEST_START_CHANNEL } from '../../entrypoints/http-entrypoint.js';
import { useOriginFacts } from '../origin-facts.js';
import { sentResponseHeaders, useResponseCounting } from '../request-facts.js';
import { type AccessRecord, canonicalHeader, coreFields, type StartFacts } from './fields.js';
import { formatCommon, formatGenericClf, formatJson } from './format.js';
import { LineWriter } from './writer.js';

type AccessLogConfig = NonNullable<StaticConfig['accessLog']>;

export interface AccessLog {
  /** Writes what is queued and stops logging. */
  close(): Promise<void>;
  /** Reopens the file (SIGUSR1, after rotation); lines are neither lost nor split. */
  reopen(): void;
  /** Lines dropped because the file could not take them (full disk…). */
  readonly dropped: number;
}

/**
 * The access log, fed by the entrypoints' request channels. Returns undefined when `accessLog` is not
 * configured.
 *
 * @example
 *   const accessLog = createAccessLog(config.accessLog, logger);
 *   process.on('SIGUSR1', () => accessLog?.reopen());
 */
export function createAccessLog(config: StaticConfig['accessLog'], logger: Logger): AccessLog | undefined {
  if (!config) return undefined;
  const writer = new LineWriter(
    config.filePath,
    logger.child({ component: 'accesslog' }),
    config.bufferingSize,
  );
  const keep = buildFilter(config);
  const fields = config.fields;
  const fieldNames = lowerKeys(fields.names);
  // Every field kept (the default): the record is written as it is built, without a copy.
  const dropsFields = fields.defaultMode !== 'keep' || [...fieldNames.values()].some((m) => m !== 'keep');
  const headerNames = lowerKeys(fields.headers.names);
  // With every header dropped (the default) the header fields are not even looked at.
  const anyHeaders =
    fields.headers.defaultMode !== 'drop' || [...headerNames.values()].some((m) => m !== 'drop');
  const starts = new WeakMap<HttpContext, StartFacts>();
  const kept = new Map<string, boolean>();
  let count = 0;

  const onStart = (m: unknown) => {
    const ctx = m as HttpContext;
    starts.set(ctx, { uri: ctx.req.url ?? '/', count: ++count });
  };
  const onEnd = (m: unknown) => {
    const ctx = m as HttpContext;
    if (!config.addInternals && ctx.routerName?.endsWith('@internal')) return;
    const record = coreFields(ctx, starts.get(ctx));
    if (!keep(record)) return;
    const durationNs = record.Duration as number;
    let out = record;
    if (dropsFields) {
      out = {};
      for (const k in record) {
        let keepIt = kept.get(k);
        if (keepIt === undefined) {
          keepIt = (fieldNames.get(k.toLowerCase()) ?? fields.defaultMode) === 'keep';
          kept.set(k, keepIt);
        }
        if (keepIt) out[k] = record[k]!;
      }
    }
    if (anyHeaders) {
      const headerMode = (name: string) => headerNames.get(name) ?? fields.headers.defaultMode;
      addHeaders(out, 'request_', ctx.req.headers, headerMode);
      const responseHeaders = sentResponseHeaders(ctx);
      if (ctx.serverUrl !== undefined) addHeaders(out, 'origin_', responseHeaders, headerMode);
      addHeaders(out, 'downstream_', responseHeaders, headerMode);
    }
    const startMs = performance.timeOrigin + ctx.startedAt;
    // The CLF formats always carry Referer and User-Agent unless those headers are named drop/redact.
    const clfHeader = (name: string) => {
      const mode = headerNames.get(name);
      if (mode === 'drop') return undefined;
      if (mode === 'redact') return 'REDACTED';
      const v = ctx.req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    let line: string;
    if (config.format === 'json') line = formatJson(out);
    else if (config.format === 'genericCLF')
      line = formatGenericClf(out, startMs, clfHeader('referer'), clfHeader('user-agent'));
    else line = formatCommon(out, startMs, clfHeader('referer'), clfHeader('user-agent'), durationNs);
    writer.push(line);
  };
  const releaseCounting = useResponseCounting();
  const releaseOrigin = useOriginFacts();
  diagnostics.subscribe(HTTP_REQUEST_START_CHANNEL, onStart);
  diagnostics.subscribe(HTTP_REQUEST_END_CHANNEL, onEnd);
  return {
    close: async () => {
      releaseCounting();
      releaseOrigin();
      diagnostics.unsubscribe(HTTP_REQUEST_START_CHANNEL, onStart);
      diagnostics.unsubscribe(HTTP_REQUEST_END_CHANNEL, onEnd);
      await writer.close();
    },
    reopen: () => writer.reopen(),
    get dropped() {
      return writer.dropped;
    },
  };
}

function lowerKeys<V>(record: Record<string, V> | undefined): Map<string, V> {
  return new Map(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function addHeaders(
  out: AccessRecord,
  prefix: string,
  headers: Record<string, string | string[] | number | undefined>,
  mode: (name: string) => string,
): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const m = mode(name.toLowerCase());
    if (m === 'drop') continue;
    out[prefix + canonicalHeader(name)] =
      m === 'redact' ? 'REDACTED' : Array.isArray(value) ? value.join(', ') : String(value);
  }
}

/** Traefik's filters: a line is kept when any configured filter matches (all lines without filters). */
function buildFilter(config: AccessLogConfig): (r: AccessRecord) => boolean {
  const f = config.filters;
  if (!f) return () => true;
  const ranges = (f.statusCodes ?? []).flatMap((s) =>
    s.split(',').map((part) => {
      const [lo, hi] = part.trim().split('-').map(Number);
      return [lo ?? 0, hi ?? lo ?? 0] as const;
    }),
  );
  const minNs = f.minDuration * 1e6;
  const any = ranges.length > 0 || f.retryAttempts || minNs > 0;
  if (!any) return () => true;
  return (r) => {
    const status = r.DownstreamStatus as number;
    if (ranges.some(([lo, hi]) => status >= lo && status <= hi)) return true;
    if (f.retryAttempts && (r.RetryAttempts as number) > 0) return true;
    return minNs > 0 && (r.Duration as number) > minNs;
  };
}
