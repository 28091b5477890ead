import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../core/logger.js';
import type { Http1Responses } from './client-error.js';
import type { EntryPointOptions } from './entrypoint-types.js';

/** What an entrypoint does with the HTTP/1 exchanges its servers parse. */
export interface Http1Listeners {
  request(req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https'): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scheme: 'http' | 'https'): void;
}

/**
 * Node's HTTP/1 server for one scheme. It never listens itself: the entrypoint hands it the connections
 * the dispatcher (or TLS with ALPN other than `h2`) found to be HTTP/1. Node enforces the timeouts.
 */
export function createHttp1Server(
  options: EntryPointOptions,
  scheme: 'http' | 'https',
  listeners: Http1Listeners,
  responses: Http1Responses,
  logger: Logger,
): http.Server {
  const server = http.createServer({
    maxHeaderSize: options.maxHeaderBytes,
    requestTimeout: options.readTimeoutMs,
    headersTimeout: options.readTimeoutMs === 0 ? 60_000 : Math.min(options.readTimeoutMs, 60_000),
    keepAliveTimeout: options.idleTimeoutMs,
    connectionsCheckingInterval: 1_000,
    noDelay: true,
  });
  const request = (req: IncomingMessage, res: ServerResponse) => {
    responses.track(req.socket, res);
    listeners.request(req, res, scheme);
  };
  server.on('request', request);
  server.on('checkContinue', request);
  server.on('upgrade', (req, socket, head) => listeners.upgrade(req, socket, head, scheme));
  // No tunnel from an HTTP entrypoint (TCP routers open those): 405 once earlier answers are out.
  server.on('connect', (_req, socket: Duplex) => {
    socket.on('error', () => {});
    responses.answerAfterPending(socket, 405);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    logger.debug('malformed request', { entryPoint: options.name, error: err.message, code: err.code });
    responses.answerClientError(err, socket);
  });
  return server;
}
