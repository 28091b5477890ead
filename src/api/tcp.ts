import type { ExtensionSchemas } from '../config/dynamic/builtin-schemas.js';
import { TcpRouter, TcpService } from '../config/dynamic/index.js';
import type { RuntimeConfig } from '../config/runtime/runtime-config.js';
import { presentMiddleware, presentRouter, presentService } from './present.js';

/**
 * The three TCP element kinds as `/api/tcp/*` serves them: Traefik's `TCPRouterInfo`, `TCPServiceInfo`
 * (with `serverStatus` for load balancers) and `TCPMiddlewareInfo`, each with status and errors.
 */
export function presentTcp(runtime: RuntimeConfig | undefined, schemas: ExtensionSchemas) {
  const tcp = runtime?.tcp;
  return {
    routers: Object.values(tcp?.routers ?? {}).map((r) => presentRouter(r, TcpRouter)),
    services: Object.values(tcp?.services ?? {}).map((s) => presentService(s, TcpService)),
    middlewares: Object.values(tcp?.middlewares ?? {}).map((m) =>
      presentMiddleware(m, schemas.tcpMiddlewares),
    ),
  };
}
