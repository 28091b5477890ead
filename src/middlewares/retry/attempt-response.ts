import type { OutgoingHttpHeaders } from 'node:http';
import type { ResponseWriter } from '../../core/http-context.js';
import { ResponseWrapper } from '../response-wrapper.js';

/**
 * The response of one try: when `shouldRetry(status)` says so at the head, the head and body are
 * swallowed and `retry` runs once the producer is done (ended or cut); otherwise everything passes.
 */
export class AttemptResponse extends ResponseWrapper {
  private swallowing = false;
  private retried = false;

  constructor(
    inner: ResponseWriter,
    private readonly shouldRetry: (status: number) => boolean,
    private readonly retry: () => void,
  ) {
    super(inner);
  }

  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    if (this.shouldRetry(status)) this.swallowing = true;
    else super.onHead(status, headers);
  }

  protected override onData(chunk: Buffer): boolean {
    return this.swallowing ? true : super.onData(chunk);
  }

  protected override onEnd(): void {
    if (this.swallowing) this.fire();
    else super.onEnd();
  }

  override destroy(err?: Error): this {
    if (this.swallowing) this.fire();
    else super.destroy(err);
    return this;
  }

  override get destroyed(): boolean {
    return this.swallowing ? false : this.inner.destroyed;
  }

  private fire(): void {
    if (this.retried) return;
    this.retried = true;
    this.writableEnded = true;
    this.retry();
  }
}
