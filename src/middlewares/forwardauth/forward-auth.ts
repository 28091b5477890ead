import type { OutgoingHttpHeaders } from 'node:http';
import { ERRORS, SwitchyardError } from '../../core/errors.js';
import { compileGoRegex } from '../../core/go-regex/index.js';
import { addHeadHook, type HttpContext, sendText } from '../../core/http-context.js';
import type { Logger } from '../../core/logger.js';
import { hasRequestBody, readBody } from '../body-reader.js';
import type { Middleware } from '../contract.js';
import { type AuthAnswer, authClient } from './auth-client.js';
import type { ForwardAuthOptions } from './schema.js';

const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'host',
]);

/**
 * Asks `address` whether the request may pass: a 2xx lets it through (with authResponseHeaders copied onto
 * it); anything else is sent to the client as the auth server answered it (a 401 becomes a 302 to
 * authSigninURL when set; a relative Location is made absolute against the auth server unless
 * preserveLocationHeader). The sub-request carries X-Forwarded-Method/Proto/Host/Uri/For. An unreachable
 * auth server gives 500. With `cache.duration`, 2xx answers are reused for requests with the same
 * `cache.keyHeaders` values (off by default).
 */
export function createForwardAuth(options: ForwardAuthOptions, logger: Logger): Middleware {
  if (options.address === '') throw new SwitchyardError('CONFIG_INVALID', 'forwardAuth: address is required');
  const ask = authClient(options);
  const copy = (options.authResponseHeaders ?? []).map((h) => h.toLowerCase());
  const copyRe = options.authResponseHeadersRegex
    ? compileGoRegex(options.authResponseHeadersRegex, { owner: 'forwardAuth', caseInsensitive: true })
    : undefined;
  const only = options.authRequestHeaders?.length
    ? new Set(options.authRequestHeaders.map((h) => h.toLowerCase()))
    : undefined;
  const cookies = new Set((options.addAuthCookiesToResponse ?? []).map((c) => c.trim()));
  const field = options.headerField?.toLowerCase();
  const cacheMs = options.cache?.duration ?? 0;
  const keyHeaders = (options.cache?.keyHeaders ?? []).map((h) => h.toLowerCase());
  const cache = new Map<string, { until: number; answer: AuthAnswer }>();
  const base = new URL(options.address);

  const allow = (ctx: HttpContext, answer: AuthAnswer) => {
    const req = ctx.req.headers;
    for (const name of copy) {
      const v = answer.headers[name];
      if (v === undefined) delete req[name];
      else req[name] = Array.isArray(v) ? v.join(', ') : v;
    }
    if (copyRe)
      for (const [name, v] of Object.entries(answer.headers))
        if (copyRe.test(name)) req[name] = Array.isArray(v) ? v.join(', ') : v;
    if (field) {
      const user = answer.headers[field];
      if (user !== undefined) req[field] = Array.isArray(user) ? user[0]! : user;
    }
    const setCookie = answer.headers['set-cookie'];
    if (cookies.size > 0 && setCookie !== undefined) {
      const wanted = (Array.isArray(setCookie) ? setCookie : [setCookie]).filter((c) =>
        cookies.has(c.slice(0, c.indexOf('=')).trim()),
      );
      if (wanted.length > 0) {
        addHeadHook(ctx, (_c, status, headers) => {
          const prev = headers['set-cookie'];
          const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
          const names = new Set(wanted.map((c) => c.slice(0, c.indexOf('='))));
          headers['set-cookie'] = [...list.filter((c) => !names.has(c.slice(0, c.indexOf('=')))), ...wanted];
          return status;
        });
      }
    }
  };

  const deny = (ctx: HttpContext, answer: AuthAnswer) => {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, v] of Object.entries(answer.headers)) if (!HOP.has(name)) headers[name] = v;
    let status = answer.status;
    if (status === 401 && options.authSigninURL) {
      status = 302;
      headers.location = options.authSigninURL;
    } else if (typeof headers.location === 'string' && !options.preserveLocationHeader) {
      headers.location = new URL(headers.location, base).href;
    }
    const res = ctx.res;
    if (res.headersSent) return;
    headers['content-length'] = status === 302 && options.authSigninURL ? 0 : answer.body.length;
    res.writeHead(status, headers);
    res.end(status === 302 && options.authSigninURL ? undefined : answer.body);
  };

  return (next) => (ctx) => {
    const key = cacheMs > 0 ? keyHeaders.map((h) => String(ctx.req.headers[h] ?? '')).join('\0') : '';
    if (cacheMs > 0) {
      const hit = cache.get(key);
      if (hit && hit.until > Date.now()) {
        allow(ctx, hit.answer);
        next(ctx);
        return;
      }
    }
    const send = (body: Buffer | undefined) => {
      ask(
        options.preserveRequestMethod ? (ctx.req.method ?? 'GET') : 'GET',
        authHeaders(ctx, options.trustForwardHeader, only),
        body,
      ).then(
        (answer) => {
          if (answer.status >= 200 && answer.status < 300) {
            if (cacheMs > 0) {
              if (cache.size > 10_000) cache.clear();
              cache.set(key, { until: Date.now() + cacheMs, answer });
            }
            allow(ctx, answer);
            if (body !== undefined) ctx.replayBody = body;
            next(ctx);
          } else deny(ctx, answer);
        },
        (err: unknown) => {
          logger.debug('forwardAuth: auth server failed', { error: (err as Error).message });
          sendText(ctx, 500, 'Internal Server Error');
        },
      );
    };
    if (!options.forwardBody || !hasRequestBody(ctx.req)) {
      send(undefined);
      return;
    }
    readBody(ctx.req, options.maxBodySize, (r) => {
      if (r.ok) send(r.body);
      else if (r.tooLarge) sendText(ctx, 401, 'Unauthorized');
      else ctx.abortedStatus = ERRORS.CLIENT_CLOSED.status;
    });
  };
}

function authHeaders(
  ctx: HttpContext,
  trust: boolean,
  only: Set<string> | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(ctx.req.headers)) {
    if (v === undefined || HOP.has(name) || (only && !only.has(name))) continue;
    if (name.startsWith('x-forwarded-') && !trust) continue;
    out[name] = v;
  }
  const req = ctx.req.headers;
  const pick = (name: string, fallback: string) =>
    trust && typeof req[name] === 'string' ? (req[name] as string) : fallback;
  out['x-forwarded-method'] = pick('x-forwarded-method', ctx.req.method ?? 'GET');
  out['x-forwarded-proto'] = pick('x-forwarded-proto', ctx.scheme);
  out['x-forwarded-host'] = pick('x-forwarded-host', req.host ?? '');
  out['x-forwarded-uri'] = pick('x-forwarded-uri', ctx.req.url ?? '/');
  const xff = req['x-forwarded-for'];
  out['x-forwarded-for'] = trust && typeof xff === 'string' ? `${xff}, ${ctx.clientIp}` : ctx.clientIp;
  return out;
}
