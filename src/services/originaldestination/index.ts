import type { Static } from '@sinclair/typebox';
import type { OriginalDestination } from '../../config/dynamic/index.js';
import { originalDestinationDeclaration } from '../../config/dynamic/service-kinds.js';
import { connectionFacts } from '../../connection/connection-facts.js';
import { formatAddress } from '../../connection/original-dst/stage.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import { forward } from '../../proxy/forward.js';
import { createUpstreamTarget, type UpstreamTarget } from '../../proxy/target.js';
import type { BuiltService, ServiceDefinition } from '../contract.js';

/** Targets kept per service; past this many distinct destinations a target is built per request. */
const MAX_CACHED = 1024;

/**
 * `originalDestination` (Switchyard extension): forwards each request to the address its client was
 * going to before iptables sent the connection to a transparent entrypoint (`REDIRECT` or `TPROXY`), as
 * Envoy's ORIGINAL_DST cluster. Connection pools are shared per destination and transport like a
 * loadBalancer's. A request whose connection has no original destination (a non-transparent entrypoint,
 * or a client that connected to Switchyard itself) is answered 502, never forwarded back into itself.
 */
export const originalDestinationService: ServiceDefinition<Static<typeof OriginalDestination>> = {
  ...originalDestinationDeclaration,
  create(config, ctx): BuiltService {
    const transport = ctx.transport(config.serversTransport);
    const scheme = config.scheme ?? 'http';
    const passHostHeader = config.passHostHeader ?? true;
    const targets = new Map<string, UpstreamTarget>();
    const targetFor = (authority: string): UpstreamTarget => {
      let target = targets.get(authority);
      if (target === undefined) {
        target = createUpstreamTarget({ url: `${scheme}://${authority}` }, transport, {
          passHostHeader,
          generation: ctx.generation,
        });
        if (targets.size < MAX_CACHED) targets.set(authority, target);
      }
      return target;
    };
    const handler = (c: HttpContext) => {
      const dst = connectionFacts(c.req.socket)?.originalDestination;
      if (dst === undefined) {
        ctx.logger.debug('no original destination for this connection', { client: c.clientIp });
        sendText(c, 502, 'Bad Gateway\n');
        return;
      }
      forward(c, targetFor(formatAddress(dst)));
    };
    return { handler, serverStatus: () => ({}) };
  },
};
