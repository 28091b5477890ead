import { clfTime, utcIso } from './clock.js';
import type { AccessRecord } from './fields.js';

const dash = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));
const quoted = (v: string | number | undefined): string =>
  v === undefined || v === '' ? '"-"' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The Apache combined part: `<client> - <user> [<time>] "<method> <path> <proto>" <status> <size>
 * "<referer>" "<user agent>"`. Dropped fields print `-`.
 */
function combined(r: AccessRecord, startMs: number, referer?: string, userAgent?: string): string {
  return (
    `${dash(r.ClientHost)} - ${dash(r.ClientUsername)} [${clfTime(startMs)}] ` +
    `"${dash(r.RequestMethod)} ${dash(r.RequestPath)} ${dash(r.RequestProtocol)}" ` +
    `${dash(r.DownstreamStatus)} ${dash(r.DownstreamContentSize)} ${quoted(referer)} ${quoted(userAgent)}`
  );
}

/** `genericCLF`: the Apache combined log format only. */
export function formatGenericClf(
  r: AccessRecord,
  startMs: number,
  referer?: string,
  userAgent?: string,
): string {
  return combined(r, startMs, referer, userAgent);
}

/** `common` (Traefik's CLF): combined, then `<request count> "<router>" "<server URL>" <duration>ms`. */
export function formatCommon(
  r: AccessRecord,
  startMs: number,
  referer?: string,
  userAgent?: string,
  durationNs = 0,
): string {
  return (
    `${combined(r, startMs, referer, userAgent)} ${dash(r.RequestCount)} ${quoted(r.RouterName)} ` +
    `${quoted(r.ServiceURL)} ${Math.round(durationNs / 1e6)}ms`
  );
}

/** `json`: every kept field plus `level`, `msg` and `time` (added to `r`, which the caller owns). */
export function formatJson(r: AccessRecord): string {
  r.level = 'info';
  r.msg = '';
  r.time = utcIso(Date.now());
  return JSON.stringify(r);
}
