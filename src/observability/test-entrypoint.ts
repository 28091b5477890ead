import type { HttpHandler } from '../core/http-context.js';
import { Logger } from '../core/logger.js';
import { HttpEntryPoint } from '../entrypoints/http-entrypoint.js';

/** A real entrypoint on 127.0.0.1:0 serving one handler (tests of the observability subscribers). */
export async function startTestEntryPoint(
  handler: HttpHandler,
  name = 'web',
  logger: Logger = Logger.create({ level: 'FATAL' }),
): Promise<{ url: (path?: string) => string; port: number; close: () => Promise<void> }> {
  const ep = new HttpEntryPoint(
    {
      name,
      address: '127.0.0.1:0',
      readTimeoutMs: 10_000,
      writeTimeoutMs: 0,
      idleTimeoutMs: 5_000,
      maxHeaderBytes: 65_536,
      requestAcceptGraceTimeoutMs: 0,
      graceTimeOutMs: 1_000,
      sanitizePath: true,
    },
    logger,
    { http: handler, https: handler },
  );
  await ep.listen();
  return {
    url: (path = '/') => `http://127.0.0.1:${ep.boundPort}${path}`,
    port: ep.boundPort,
    close: () => ep.shutdown(),
  };
}

/** Answers with `status` and a small body; sets router and service names like the graph does. */
export function fakeRoute(
  status: number,
  body = 'hello',
  router = 'r@file',
  service = 's@file',
): HttpHandler {
  return (ctx) => {
    ctx.routerName = router;
    ctx.serviceName = service;
    ctx.serverUrl = 'http://127.0.0.1:9';
    ctx.res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    ctx.res.end(body);
  };
}
