import type net from 'node:net';
import type { Socket } from 'node:net';
import type { HttpContext, HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';

export interface EntryPointOptions {
  name: string;
  address: string;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  idleTimeoutMs: number;
  maxHeaderBytes: number;
  requestAcceptGraceTimeoutMs: number;
  graceTimeOutMs: number;
  sanitizePath: boolean;
  /** Runs first on every request (forwarded-header trust); may be undefined. */
  prepare?: (ctx: HttpContext) => void;
  /** Run in order on each accepted connection before its protocol is detected (PROXY header…). */
  stages?: readonly ConnectionStage[];
  /** Protocol detection on transparent entrypoints (see `DispatcherOptions.detectTimeoutMs`). */
  detectTimeoutMs?: number | undefined;
  /** The entrypoint's `http2` section; HTTP/2 is served with Traefik's defaults when absent. */
  http2?: {
    maxConcurrentStreams: number;
    maxDecoderHeaderTableSize: number;
    maxEncoderHeaderTableSize: number;
  };
  /** Called once the listener is bound (socket options such as IP_TRANSPARENT); may throw. */
  onListening?: (listener: net.Server) => void;
}

/**
 * A pre-dispatch step on an accepted connection (read a PROXY header, look up the original destination):
 * it records what it learns in the connection's facts (src/connection/connection-facts.ts), then calls
 * `next`, or logs and destroys the socket.
 */
export type ConnectionStage = (socket: Socket, next: () => void, logger: Logger) => void;

/** The handlers of one configuration generation for this entrypoint: plain HTTP and TLS routers. */
export interface EntryPointHandlers {
  http: HttpHandler;
  https: HttpHandler;
}
