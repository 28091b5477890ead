import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpContext } from '../../core/http-context.js';

/**
 * What the guest sees and changes of one request while it runs: in the `request` phase (handle_request)
 * the request and a response of its own (status, headers, body) used when it does not call next; in the
 * `response` phase (handle_response, run as a response-head hook) the response head about to be sent.
 */
export class Exchange {
  phase: 'request' | 'response' = 'request';
  status = 200;
  /** Response headers: the guest's own in the request phase, the proxied response's in the response phase. */
  responseHeaders: OutgoingHttpHeaders | undefined;
  /** Response body written in the request phase. */
  readonly body: Buffer[] = [];
  /** The buffered request body (feature buffer_request), and how much of it the guest has read. */
  requestBody: Buffer | undefined;
  requestBodyRead = 0;
  /** Whether the guest wrote the request body (its first write replaces the body). */
  requestBodyWritten = false;

  constructor(readonly ctx: HttpContext) {
    this.requestBody = ctx.replayBody;
  }
}
