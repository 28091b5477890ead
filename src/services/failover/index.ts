import type { Static } from '@sinclair/typebox';
import type { Failover } from '../../config/dynamic/http-services.js';
import { failoverDeclaration } from '../../config/dynamic/service-kinds.js';
import { type HttpContext, type HttpHandler, sendError, sendText } from '../../core/http-context.js';
import type { BuiltService, ServiceDefinition } from '../contract.js';
import { GroupHealth } from '../health-signal.js';
import { readBody } from '../request-body.js';
import { StatusInterceptor } from './status-interceptor.js';
import { statusSet } from './status-ranges.js';

/**
 * `failover`: requests go to `service` while it is up (it must track health: a loadBalancer with a
 * health check, or a service with `healthCheck: {}`), else to `fallback`. With `errors.status`, an
 * answer from the main service with one of those statuses is discarded and the request is sent to the
 * fallback instead; the body is kept for that, up to `errors.maxRequestBodyBytes` (-1 = no limit;
 * over ⇒ 413).
 */
export const failoverService: ServiceDefinition<Static<typeof Failover>> = {
  ...failoverDeclaration,
  create(config, ctx): BuiltService {
    const main = ctx.service(config.service);
    const fallback = ctx.service(config.fallback);
    const mainHealth = ctx.serviceHealth(config.service);
    const fallbackHealth = ctx.serviceHealth(config.fallback);
    const statuses = config.errors?.status?.length ? statusSet(config.errors.status) : undefined;
    const max = config.errors?.maxRequestBodyBytes ?? -1;
    const onMain: HttpHandler =
      statuses === undefined ? main : (c) => viaInterceptor(c, main, fallback, statuses, max);
    const handler: HttpHandler = (c: HttpContext) => {
      if (mainHealth === undefined || mainHealth.up) onMain(c);
      else if (fallbackHealth === undefined || fallbackHealth.up) fallback(c);
      else sendError(c, 'NO_SERVER');
    };
    const members = [
      mainHealth ?? { up: true, subscribe() {} },
      fallbackHealth ?? { up: true, subscribe() {} },
    ];
    const health = config.healthCheck ? new GroupHealth(members, ctx.signal) : undefined;
    return { handler, serverStatus: () => ({}), health };
  },
};

function viaInterceptor(
  c: HttpContext,
  main: HttpHandler,
  fallback: HttpHandler,
  statuses: ReadonlySet<number>,
  max: number,
): void {
  if (c.upgrade !== undefined) {
    main(c);
    return;
  }
  readBody(c, max, (read) => {
    if (read === undefined) return;
    if ('tooLarge' in read) {
      sendText(c, 413, 'Request Entity Too Large');
      return;
    }
    c.replayBody = read.whole;
    const interceptor = new StatusInterceptor(c, statuses, () => {
      c.res = interceptor.downstream;
      c.headHooks = interceptor.hooks;
      c.serverUrl = undefined;
      fallback(c);
    });
    main(c);
  });
}
