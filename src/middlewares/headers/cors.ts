import type { OutgoingHttpHeaders } from 'node:http';
import { compileGoRegex } from '../../core/go-regex/index.js';
import type { HttpContext, ResponseHeadHook } from '../../core/http-context.js';
import type { HeadersOptions } from './schema.js';

/** CORS handling of `headers`, prepared once; undefined parts when no CORS option is set. */
export interface CorsPlan {
  /** Answers a preflight request (200, empty body) and returns true; false for other requests. */
  readonly preflight: ((ctx: HttpContext) => boolean) | undefined;
  readonly hook: ResponseHeadHook | undefined;
}

function header(ctx: HttpContext, name: string): string {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

/** Adds `value` to the response's `Vary` unless it is listed already. */
export function addVary(headers: OutgoingHttpHeaders, value: string): void {
  const current = headers.vary;
  if (current === undefined || current === '') headers.vary = value;
  else if (
    !String(current)
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(value.toLowerCase())
  )
    headers.vary = `${current}, ${value}`;
}

/**
 * Preflight = OPTIONS with `Origin` and `Access-Control-Request-Method`: answered here with 200 and the
 * allow-* headers. Other requests with an allowed `Origin` get Access-Control-Allow-Origin (and
 * credentials, expose headers) on the response. With credentials, a `*` in the origin, header or method
 * lists echoes the request's value (browsers refuse `*` with credentials).
 */
export function planCors(options: HeadersOptions): CorsPlan {
  const origins = options.accessControlAllowOriginList ?? [];
  const regexes = (options.accessControlAllowOriginListRegex ?? []).map((r) =>
    compileGoRegex(r, { owner: 'headers' }),
  );
  const creds = options.accessControlAllowCredentials === true;
  const allowHeaders = options.accessControlAllowHeaders ?? [];
  const allowMethods = options.accessControlAllowMethods ?? [];
  const expose = (options.accessControlExposeHeaders ?? []).join(',');
  const vary = options.addVaryHeader === true;
  const any =
    origins.length + regexes.length + allowHeaders.length + allowMethods.length > 0 ||
    creds ||
    expose !== '' ||
    options.accessControlMaxAge !== undefined;
  if (!any) return { preflight: undefined, hook: undefined };
  const wildcard = origins.includes('*');
  const exact = new Set(origins);
  const allowOrigin = (origin: string): string | undefined => {
    if (origin === '') return undefined;
    if (wildcard) return creds ? origin : '*';
    if (exact.has(origin)) return origin;
    for (const re of regexes) if (re.test(origin)) return origin;
    return undefined;
  };
  const headersValue = allowHeaders.join(',');
  const methodsValue = allowMethods.join(',');
  // Sent only when configured (0 included), as Traefik does.
  const maxAge = options.accessControlMaxAge === undefined ? undefined : String(options.accessControlMaxAge);
  const preflight = (ctx: HttpContext): boolean => {
    if (ctx.req.method !== 'OPTIONS') return false;
    const origin = header(ctx, 'origin');
    const method = header(ctx, 'access-control-request-method');
    if (origin === '' || method === '') return false;
    const out: OutgoingHttpHeaders = {};
    if (creds) out['access-control-allow-credentials'] = 'true';
    if (headersValue !== '') {
      out['access-control-allow-headers'] =
        creds && allowHeaders.includes('*') ? header(ctx, 'access-control-request-headers') : headersValue;
    }
    if (methodsValue !== '')
      out['access-control-allow-methods'] = creds && allowMethods.includes('*') ? method : methodsValue;
    const allowed = allowOrigin(origin);
    if (allowed !== undefined) out['access-control-allow-origin'] = allowed;
    if (maxAge !== undefined) out['access-control-max-age'] = maxAge;
    if (vary) out.vary = 'Origin';
    out['content-length'] = 0;
    if (!ctx.res.headersSent) {
      ctx.res.writeHead(200, out);
      ctx.res.end();
    }
    return true;
  };
  const hook: ResponseHeadHook = (ctx, status, headers) => {
    const origin = header(ctx, 'origin');
    if (vary && origin !== '') addVary(headers, 'Origin');
    const allowed = allowOrigin(origin);
    if (allowed !== undefined) headers['access-control-allow-origin'] = allowed;
    if (creds && origin !== '') headers['access-control-allow-credentials'] = 'true';
    if (expose !== '') headers['access-control-expose-headers'] = expose;
    return status;
  };
  return { preflight, hook };
}
