import type { OutgoingHttpHeaders } from 'node:http';
import type { ResponseWriter } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { ResponseWrapper } from '../response-wrapper.js';
import { sniffContentType } from './sniff.js';

/** Holds back a head without Content-Type until the first body bytes tell what they are. */
class SniffingResponse extends ResponseWrapper {
  private held: { status: number; headers: OutgoingHttpHeaders } | undefined;

  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    if (headers['content-type'] !== undefined || status === 204 || status === 304)
      super.onHead(status, headers);
    else this.held = { status, headers };
  }

  protected override onData(chunk: Buffer): boolean {
    const held = this.held;
    if (held) {
      this.held = undefined;
      held.headers['content-type'] = sniffContentType(chunk);
      this.inner.writeHead(held.status, held.headers);
    }
    return this.inner.write(chunk);
  }

  protected override onEnd(): void {
    if (this.held) this.inner.writeHead(this.held.status, this.held.headers);
    this.held = undefined;
    this.inner.end();
  }
}

/**
 * `contentType`: when the response has no Content-Type, one is guessed from its first bytes (Switchyard
 * never guesses otherwise). The head waits for the first body chunk; a response without body gets none.
 */
export function createContentType(): Middleware {
  return (next) => (ctx) => {
    ctx.res = new SniffingResponse(ctx.res as ResponseWriter).asWriter();
    next(ctx);
  };
}
