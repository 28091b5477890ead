import type { TSchema } from '@sinclair/typebox';
import { tcpMiddlewareTypes } from '../../config/dynamic/validate-tcp-middlewares.js';
import { SwitchyardError } from '../../core/errors.js';
import { GenerationStore } from '../../core/generation-store.js';
import type { Logger } from '../../core/logger.js';
import { Registry } from '../../core/registry.js';
import type { TcpMiddleware } from '../../proxy/tcp/connection.js';
import { IpRanges } from '../ip-strategy.js';

/** What a TCP middleware factory gets besides its options. */
export interface TcpMiddlewareBuild {
  name: string;
  logger: Logger;
  generation: number;
}

/** A TCP middleware type: key, schema (shared with validation) and factory. */
export interface TcpMiddlewareDefinition {
  type: string;
  schema: TSchema;
  create(options: never, build: TcpMiddlewareBuild): TcpMiddleware;
}

function schemaOf(type: string): TSchema {
  const def = tcpMiddlewareTypes.get(type);
  if (!def) throw new SwitchyardError('INTERNAL', `no schema for TCP middleware ${type}`);
  return def.schema;
}

/** Connections from outside `sourceRange` are closed before anything is forwarded. */
function ipAllowList(type: string): TcpMiddlewareDefinition {
  return {
    type,
    schema: schemaOf(type),
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

/** At most `amount` simultaneous connections per client IP; more are closed at once. */
const inFlightConn: TcpMiddlewareDefinition = {
  type: 'inFlightConn',
  schema: schemaOf('inFlightConn'),
  create(options: { amount: number }, build) {
    const counts = inFlight.use(`${build.name}|${options.amount}`, build.generation, () => new Map());
    return (next) => (conn) => {
      const ip = conn.facts.clientAddress;
      const n = counts.get(ip) ?? 0;
      if (n >= options.amount) {
        build.logger.debug('connection rejected: max number of connections reached', {
          middleware: build.name,
          client: ip,
        });
        conn.socket.destroy();
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
export const tcpMiddlewareRegistry = new Registry<TcpMiddlewareDefinition>(
  'TCP middleware',
  [ipAllowList('ipAllowList'), ipAllowList('ipWhiteList'), inFlightConn].map((d) => [d.type, d]),
);
