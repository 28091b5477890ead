import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** Published with the `HttpContext` once a request's context exists, before any handler runs. */
export const HTTP_REQUEST_START_CHANNEL = 'switchyard:http.request.start';
/** Published with the `HttpContext` when the response (or upgraded socket) has closed. */
export const HTTP_REQUEST_END_CHANNEL = 'switchyard:http.request.end';
/** Published with a `ConnectionEvent` when a TCP connection is accepted and when it closes. */
export const CONNECTION_OPEN_CHANNEL = 'switchyard:connection.open';
export const CONNECTION_CLOSE_CHANNEL = 'switchyard:connection.close';

/** The message of the connection channels. */
export interface ConnectionEvent {
  readonly entryPoint: string;
  readonly socket: Socket;
}

// Observability subscribes to these; with no subscriber publishing costs one property read.
export const requestStart = diagnostics.channel(HTTP_REQUEST_START_CHANNEL);
export const requestEnd = diagnostics.channel(HTTP_REQUEST_END_CHANNEL);
export const connectionOpen = diagnostics.channel(CONNECTION_OPEN_CHANNEL);
export const connectionClose = diagnostics.channel(CONNECTION_CLOSE_CHANNEL);
