import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpContext, ResponseHeadHook } from '../../core/http-context.js';
import type { HeadersOptions } from './schema.js';

/** The request checks of the security options, prepared once; undefined when none applies. */
export interface SecurityPlan {
  /** Answers the request itself (500 Bad Host, SSL redirect) and returns true, or returns false. */
  readonly check: ((ctx: HttpContext) => boolean) | undefined;
  readonly hook: ResponseHeadHook | undefined;
}

/** True when the request came over TLS or carries one of the `sslProxyHeaders` pairs. */
function sslTest(options: HeadersOptions): (ctx: HttpContext) => boolean {
  const pairs = Object.entries(options.sslProxyHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const);
  return (ctx) => {
    if (ctx.scheme === 'https') return true;
    for (const [name, value] of pairs) if (ctx.req.headers[name] === value) return true;
    return false;
  };
}

/**
 * The security part of `headers`: allowedHosts (500 `Bad Host`), the deprecated SSL redirect, and the
 * fixed response headers (STS, X-Frame-Options, nosniff, XSS, CSP, referrer, permissions policy…).
 * `isDevelopment` turns off the host check, the SSL redirect and STS.
 */
export function planSecurity(options: HeadersOptions): SecurityPlan {
  const dev = options.isDevelopment === true;
  const isSsl = sslTest(options);
  const allowed =
    dev || !options.allowedHosts?.length
      ? undefined
      : new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const proxyHeaders = (options.hostsProxyHeaders ?? []).map((h) => h.toLowerCase());
  const redirect = !dev && (options.sslRedirect || options.sslTemporaryRedirect);
  const sslHost = options.sslHost ?? '';
  let check: SecurityPlan['check'];
  if (allowed || redirect) {
    check = (ctx) => {
      let host = ctx.req.headers.host ?? '';
      for (const name of proxyHeaders) {
        const v = ctx.req.headers[name];
        if (typeof v === 'string' && v !== '') {
          host = v;
          break;
        }
      }
      if (allowed && !allowed.has(host.toLowerCase()) && !allowed.has(ctx.host)) {
        answer(ctx, 500, 'Bad Host', {});
        return true;
      }
      if (redirect && !isSsl(ctx)) {
        const target = sslHost !== '' ? sslHost : host.replace(/:\d+$/, '');
        const status = options.sslTemporaryRedirect ? 302 : 301;
        answer(ctx, status, '', { location: `https://${target}${ctx.req.url ?? '/'}` });
        return true;
      }
      return false;
    };
  }
  const fixed: [string, string][] = [];
  const frame = options.customFrameOptionsValue || (options.frameDeny ? 'DENY' : '');
  if (frame) fixed.push(['x-frame-options', frame]);
  if (options.contentTypeNosniff) fixed.push(['x-content-type-options', 'nosniff']);
  const xss = options.customBrowserXSSValue || (options.browserXssFilter ? '1; mode=block' : '');
  if (xss) fixed.push(['x-xss-protection', xss]);
  if (options.contentSecurityPolicy) fixed.push(['content-security-policy', options.contentSecurityPolicy]);
  if (options.contentSecurityPolicyReportOnly) {
    fixed.push(['content-security-policy-report-only', options.contentSecurityPolicyReportOnly]);
  }
  if (options.publicKey) fixed.push(['public-key-pins', options.publicKey]);
  if (options.referrerPolicy) fixed.push(['referrer-policy', options.referrerPolicy]);
  if (options.permissionsPolicy) fixed.push(['permissions-policy', options.permissionsPolicy]);
  if (options.featurePolicy) fixed.push(['feature-policy', options.featurePolicy]);
  const seconds = options.stsSeconds ?? 0;
  let sts = '';
  if (!dev && seconds > 0) {
    sts = `max-age=${seconds}`;
    if (options.stsIncludeSubdomains) sts += '; includeSubDomains';
    if (options.stsPreload) sts += '; preload';
  }
  const force = options.forceSTSHeader === true;
  let hook: ResponseHeadHook | undefined;
  if (fixed.length > 0 || sts !== '') {
    hook = (ctx, status, headers) => {
      for (const [name, value] of fixed) headers[name] = value;
      if (sts !== '' && (force || isSsl(ctx))) headers['strict-transport-security'] = sts;
      return status;
    };
  }
  return { check, hook };
}

function answer(ctx: HttpContext, status: number, body: string, headers: OutgoingHttpHeaders): void {
  const res = ctx.res;
  if (res.headersSent) return;
  const buf = Buffer.from(body);
  headers['content-length'] = buf.length;
  if (body !== '') headers['content-type'] = 'text/plain; charset=utf-8';
  res.writeHead(status, headers);
  res.end(buf);
}
