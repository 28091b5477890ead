import { GenerationStore } from '../../core/generation-store.js';
import type { Logger } from '../../core/logger.js';
import { type Declaration, Registry } from '../../core/registry.js';
import { sharedLimits } from '../../core/shared-limits.js';
import type { TcpConnection, TcpMiddleware } from '../../proxy/tcp/connection.js';
import { IpRanges } from '../ip-strategy.js';
import { inFlightConnDeclaration, tcpIpAllowListDeclaration, tcpIpWhiteListDeclaration } from './schema.js';

/** What a TCP middleware factory gets besides its options. */
export interface TcpMiddlewareBuild {
  name: string;
  logger: Logger;
  generation: number;
}

/** A TCP middleware type: its declaration (schema.ts) and factory. */
export interface TcpMiddlewareDefinition extends Declaration {
  create(options: never, build: TcpMiddlewareBuild): TcpMiddleware;
}

/** Connections from outside `sourceRange` are closed before anything is forwarded. */
function ipAllowList(declaration: Declaration): TcpMiddlewareDefinition {
  const type = declaration.type;
  return {
    ...declaration,
    create(options: { sourceRange?: string[] }, build) {
      const ranges = new IpRanges(options.sourceRange ?? [], `${type} sourceRange`);
      if (type === 'ipWhiteList')
        build.logger.warn('middleware type "ipWhiteList" is deprecated; use "ipAllowList"');
      return (next) => (conn) => {
        if (ranges.contains(conn.facts.clientAddress)) return next(conn);
        build.logger.debug('connection rejected', {
          middleware: build.name,
          client: conn.facts.clientAddress,
        });
        conn.socket.destroy();
      };
    },
  };
}

/** Open connections per client IP, per middleware name; kept across reloads like Traefik's counters are not. */
const inFlight = new GenerationStore<Map<string, number>>();

/**
 * At most `amount` simultaneous connections per client IP; more are closed at once. In a worker process
 * the primary counts (`sharedLimits`), so `amount` holds for the whole instance.
 */
const inFlightConn: TcpMiddlewareDefinition = {
  ...inFlightConnDeclaration,
  create(options: { amount: number }, build) {
    const refuse = (conn: TcpConnection) => {
      build.logger.debug('connection rejected: max number of connections reached', {
        middleware: build.name,
        client: conn.facts.clientAddress,
      });
      conn.socket.destroy();
    };
    const shared = sharedLimits();
    if (shared) {
      const counter = `tcp|${build.name}|${options.amount}`;
      return (next) => (conn) => {
        const ip = conn.facts.clientAddress;
        shared.acquire(counter, options.amount, ip).then(
          (ok) => {
            if (!ok) refuse(conn);
            else if (conn.socket.destroyed) shared.release(counter, ip);
            else {
              conn.socket.once('close', () => shared.release(counter, ip));
              next(conn);
            }
          },
          () => conn.socket.destroy(),
        );
      };
    }
    const counts = inFlight.use(`${build.name}|${options.amount}`, build.generation, () => new Map());
    return (next) => (conn) => {
      const ip = conn.facts.clientAddress;
      const n = counts.get(ip) ?? 0;
      if (n >= options.amount) {
        refuse(conn);
        return;
      }
      counts.set(ip, n + 1);
      conn.socket.once('close', () => {
        const left = (counts.get(ip) ?? 1) - 1;
        if (left <= 0) counts.delete(ip);
        else counts.set(ip, left);
      });
      next(conn);
    };
  },
};

/** Traefik's TCP middleware catalogue. */
export const TCP_MIDDLEWARE_DEFINITIONS: readonly TcpMiddlewareDefinition[] = [
  ipAllowList(tcpIpAllowListDeclaration),
  ipAllowList(tcpIpWhiteListDeclaration),
  inFlightConn,
];

/** A fresh registry of the TCP middleware definitions. */
export function builtinTcpMiddlewares(): Registry<TcpMiddlewareDefinition> {
  return Registry.of('TCP middleware', TCP_MIDDLEWARE_DEFINITIONS);
}
