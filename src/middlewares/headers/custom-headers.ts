import type { OutgoingHttpHeaders } from 'node:http';
import { SwitchyardError } from '../../core/errors.js';
import { addHeadHook, type ResponseHeadHook } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { suppressForwardedFor } from '../forwarded-for.js';
import { planCors } from './cors.js';
import { HEADERS_OPTION_NAMES, type HeadersOptions } from './schema.js';
import { planSecurity } from './security.js';

/** Request header changes, prepared once. Names are lower case. */
interface RequestPlan {
  readonly set: readonly (readonly [string, string])[];
  readonly remove: readonly string[];
  /** Value of a custom `Host`: the host sent upstream (and seen by later middlewares). */
  readonly host: string | undefined;
  /** `X-Forwarded-For: ""`: send no X-Forwarded-For at all. */
  readonly suppressForwardedFor: boolean;
}

/**
 * The `headers` middleware: custom request headers are set before calling the next handler; response
 * headers (custom, security, CORS) through head hooks, so they also apply to responses produced by
 * handlers after this one. An empty custom value removes the header. Host checks and CORS preflights
 * answer the request directly (see security.ts and cors.ts).
 */
export function createHeaders(options: HeadersOptions): Middleware {
  const request = planRequest(options.customRequestHeaders ?? {});
  const responseHook = responseHookFor(options.customResponseHeaders ?? {});
  const security = planSecurity(options);
  const cors = planCors(options);
  const changesRequest = request.set.length + request.remove.length > 0 || request.host !== undefined;
  const anySet = HEADERS_OPTION_NAMES.some((name) =>
    NUMBER_OPTIONS.has(name)
      ? (options as Record<string, unknown>)[name] !== undefined
      : isSet((options as Record<string, unknown>)[name]),
  );
  if (!anySet) {
    // Traefik refuses a headers middleware with nothing to do ("headers configuration not valid").
    throw new SwitchyardError('CONFIG_INVALID', 'headers: no option is set');
  }
  const hooks = [security.hook, cors.hook, responseHook].filter((h) => h !== undefined);
  return (next) => (ctx) => {
    if (security.check?.(ctx)) return;
    if (cors.preflight?.(ctx)) return;
    if (changesRequest) {
      const headers = ctx.req.headers;
      for (const name of request.remove) delete headers[name];
      for (const [name, value] of request.set) headers[name] = value;
      if (request.host !== undefined) headers.host = request.host;
    }
    if (request.suppressForwardedFor) suppressForwardedFor(ctx);
    for (const hook of hooks) addHeadHook(ctx, hook);
    next(ctx);
  };
}

// Options Traefik holds as pointers (`*int64`): given at all, even as 0, they count as set.
const NUMBER_OPTIONS = new Set(['stsSeconds', 'accessControlMaxAge']);

/** Traefik's notion of "set": anything but the zero value (false, 0, '', empty list or map). */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function planRequest(custom: Record<string, string>): RequestPlan {
  const set: [string, string][] = [];
  const remove: string[] = [];
  let host: string | undefined;
  let suppress = false;
  for (const [rawName, value] of Object.entries(custom)) {
    const name = rawName.toLowerCase();
    if (name === 'host') {
      // Go keeps Host outside the header map, so an empty Host removes nothing there either.
      if (value !== '') host = value;
    } else if (value === '') {
      remove.push(name);
      if (name === 'x-forwarded-for') suppress = true;
    } else {
      set.push([name, value]);
    }
  }
  return { set, remove, host, suppressForwardedFor: suppress };
}

function responseHookFor(custom: Record<string, string>): ResponseHeadHook | undefined {
  const entries = Object.entries(custom);
  if (entries.length === 0) return undefined;
  const plan = new Map<string, string>(entries.map(([name, value]) => [name.toLowerCase(), value]));
  return (_ctx, status, headers) => {
    applyResponsePlan(plan, headers);
    return status;
  };
}

/**
 * Sets (or, for an empty value, removes) each planned header. Header objects normally use lower-case
 * keys, but a handler may have written another spelling, which must not survive next to ours.
 */
function applyResponsePlan(plan: ReadonlyMap<string, string>, headers: OutgoingHttpHeaders): void {
  for (const key in headers) {
    const lower = key.toLowerCase();
    if (lower !== key && plan.has(lower)) delete headers[key];
  }
  for (const [name, value] of plan) {
    if (value === '') delete headers[name];
    else headers[name] = value;
  }
}
