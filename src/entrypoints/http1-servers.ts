import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../core/logger.js';
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
  server.on('request', (req, res) => listeners.request(req, res, scheme));
  server.on('checkContinue', (req, res) => listeners.request(req, res, scheme));
  server.on('upgrade', (req, socket, head) => listeners.upgrade(req, socket, head, scheme));
  server.on('clientError', (err, socket) =>
    answerClientError(err as NodeJS.ErrnoException, socket, options.name, logger),
  );
  return server;
}

/** A request node's parser refused (or that timed out): a short error response, then the socket closes. */
function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Duplex,
  entryPoint: string,
  logger: Logger,
): void {
  logger.debug('malformed request', { entryPoint, error: err.message, code: err.code });
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const text =
    status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
