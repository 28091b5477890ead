import type { Socket } from 'node:net';
import type { DownstreamProtocol, HttpContext } from '../../core/http-context.js';
import type { EntryPointOptions } from '../entrypoint-types.js';
import { responseFields } from '../http1-adapter.js';
import { type ConnectionOwner, FastConnection } from './connection.js';
import type { FastRequest } from './request.js';
import type { FastResponse } from './response.js';

/**
 * The environment variable that turns the HTTP/1 fast path off (`off`, `false` or `0`): every HTTP/1
 * connection then goes to node's HTTP server from its first byte (docs/design/http1-fast-path.md).
 */
export const FAST_PATH_ENV = 'SWITCHYARD_HTTP1_FAST_PATH';

/** Whether the fast path serves HTTP/1 connections (on unless `SWITCHYARD_HTTP1_FAST_PATH` says off). */
export function fastPathEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[FAST_PATH_ENV]?.trim().toLowerCase();
  return value !== 'off' && value !== 'false' && value !== '0';
}

function response(ctx: HttpContext): FastResponse {
  return ctx.rawRes as unknown as FastResponse;
}

/** The request model's protocol object for requests served by the fast path. */
export const FAST_HTTP1: DownstreamProtocol = {
  name: 'HTTP/1.1',
  continueSent() {
    return false;
  },
  writeContinue() {
    // `Expect` is handed off to node's server: a fast-path request never waits for 100 Continue.
  },
  headLength(ctx) {
    return response(ctx).head?.length ?? 0;
  },
  sentHeaders(ctx) {
    const res = response(ctx);
    return responseFields(res.head, res);
  },
  closeAfterResponse(ctx) {
    response(ctx).keepAlive = false;
  },
  releaseUpgrade() {
    // Upgrades are handed off to node's server.
  },
};

/**
 * The HTTP/1 fast path of one entrypoint and scheme: takes the connections the entrypoint would give to
 * node's HTTP server, serves the simple requests itself and hands the connection over at the first one it
 * does not serve. Timeouts are node's server's: `headersTimeout` (within `readTimeout`) for a head,
 * `keepAliveTimeout` (`idleTimeout`) between requests.
 */
export class FastH1Server implements ConnectionOwner {
  readonly maxHeaderBytes: number;
  readonly headTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly keepAliveSeconds: number;
  closing = false;
  private readonly connections = new Set<FastConnection>();

  constructor(
    options: EntryPointOptions,
    private readonly onRequest: (req: FastRequest, res: FastResponse) => void,
    private readonly toNode: (socket: Socket) => void,
  ) {
    this.maxHeaderBytes = options.maxHeaderBytes;
    // As `createHttp1Server` configures node's server.
    this.headTimeoutMs = options.readTimeoutMs === 0 ? 60_000 : Math.min(options.readTimeoutMs, 60_000);
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.keepAliveSeconds = Math.floor(options.idleTimeoutMs / 1000);
  }

  /** Takes a connection the dispatcher (or TLS) found to speak HTTP/1. */
  accept(socket: Socket): void {
    const conn = new FastConnection(socket, this);
    this.connections.add(conn);
    conn.start();
  }

  serve(req: FastRequest, res: FastResponse): void {
    this.onRequest(req, res);
  }

  handOff(socket: Socket): void {
    this.toNode(socket);
  }

  forget(conn: FastConnection): void {
    this.connections.delete(conn);
  }

  /** Graceful stop: each connection closes after its pending response; later requests close theirs. */
  closeAfterResponses(): void {
    this.closing = true;
    for (const conn of [...this.connections]) conn.closeAfterResponse();
  }

  /** Closes the connections waiting for a request. */
  closeIdleConnections(): void {
    for (const conn of [...this.connections]) conn.closeIfIdle();
  }
}
