import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { SwitchyardError } from '../../core/errors.js';
import type { HttpContext, HttpHandler, ResponseWriter } from '../../core/http-context.js';
import type { Middleware, MiddlewareBuildContext } from '../contract.js';
import { queryStart, toRoutingPath } from '../request-rewrite.js';
import { ResponseWrapper } from '../response-wrapper.js';
import { inRanges, parseStatusRanges } from '../status-ranges.js';
import type { ErrorsOptions } from './schema.js';

/** Sends the error page's body with the status chosen for the client. */
class PageResponse extends ResponseWrapper {
  constructor(
    inner: ResponseWriter,
    private readonly status: number,
  ) {
    super(inner);
  }
  protected override onHead(_status: number, headers: OutgoingHttpHeaders): void {
    this.inner.writeHead(this.status, headers);
  }
}

/** Watches the response; a listed status is replaced by the error page. */
class ErrorsResponse extends ResponseWrapper {
  private replaced = false;
  constructor(
    inner: ResponseWriter,
    private readonly intercept: (status: number) => boolean,
  ) {
    super(inner);
  }
  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    if (this.intercept(status)) this.replaced = true;
    else super.onHead(status, headers);
  }
  protected override onData(chunk: Buffer): boolean {
    return this.replaced || super.onData(chunk);
  }
  protected override onEnd(): void {
    if (!this.replaced) super.onEnd();
  }
  override destroy(err?: Error): this {
    if (!this.replaced) super.destroy(err);
    return this;
  }
}

/**
 * On a listed status, asks `service` for `query` (GET, the client's headers or only errorRequestHeaders,
 * no body) and answers with that body and the original status, or its rewrite from statusRewrites.
 */
export function createErrors(options: ErrorsOptions, build: MiddlewareBuildContext): Middleware {
  const ranges = parseStatusRanges(options.status, 'errors');
  if (ranges.length === 0) throw new SwitchyardError('CONFIG_INVALID', 'errors: status is empty');
  if (options.service === '') throw new SwitchyardError('CONFIG_INVALID', 'errors: service is required');
  const rewrites = Object.entries(options.statusRewrites ?? {}).map(
    ([k, v]) => [parseStatusRanges([k], 'errors'), v] as const,
  );
  const service: HttpHandler = build.service(options.service);
  const query = options.query ?? '/';
  const keep = options.errorRequestHeaders?.map((h) => h.toLowerCase());
  return (next) => (ctx) => {
    const inner = ctx.res;
    const originalUrl = ctx.req.url ?? '/';
    ctx.res = new ErrorsResponse(inner, (status) => {
      if (!inRanges(ranges, status)) return false;
      let sent = status;
      for (const [r, to] of rewrites) {
        if (inRanges(r, status)) {
          sent = to;
          break;
        }
      }
      const target = query
        .replaceAll('{status}', String(sent))
        .replaceAll('{originalStatus}', String(status))
        .replaceAll('{url}', encodeURIComponent(originalUrl));
      setImmediate(() =>
        service(pageContext(ctx, inner, target.startsWith('/') ? target : `/${target}`, sent, keep)),
      );
      return true;
    }).asWriter();
    next(ctx);
  };
}

function pageContext(
  ctx: HttpContext,
  inner: ResponseWriter,
  target: string,
  status: number,
  keep: string[] | undefined,
): HttpContext {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (name === 'content-length' || name === 'transfer-encoding' || name === 'expect') continue;
    if (keep === undefined || keep.includes(name) || name === 'host') headers[name] = value;
  }
  const req = Object.create(ctx.req, {
    method: { value: 'GET', writable: true },
    url: { value: target, writable: true },
    headers: { value: headers, writable: true },
  }) as IncomingMessage;
  const q = queryStart(target);
  return {
    ...ctx,
    req,
    res: new PageResponse(inner, status).asWriter(),
    path: toRoutingPath(target.slice(0, q)),
    rawQuery: q === target.length ? '' : target.slice(q + 1),
    headHooks: undefined,
    upstreamError: undefined,
    replayBody: undefined,
  };
}
