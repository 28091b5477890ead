import type { OutgoingHttpHeaders } from 'node:http';
import type { ResponseWriter } from '../../core/http-context.js';
import { ResponseWrapper } from '../response-wrapper.js';
import { Spool } from './spool.js';

/**
 * Collects a whole response (memory, then disk) before anything is sent, so that it can be measured,
 * refused (over `max`: 500) or replaced by a retry. `done` decides at the end.
 */
export class BufferedResponse extends ResponseWrapper {
  head: { status: number; headers: OutgoingHttpHeaders } | undefined;
  private readonly spool: Spool;
  private over = false;
  private finished = false;

  constructor(
    inner: ResponseWriter,
    mem: number,
    private readonly max: number,
    private readonly done: (res: BufferedResponse, over: boolean) => void,
  ) {
    super(inner);
    this.spool = new Spool(mem);
  }

  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    this.head = { status, headers };
  }

  protected override onData(chunk: Buffer): boolean {
    if (this.over) return true;
    if (this.max > 0 && this.spool.size + chunk.length > this.max) {
      this.over = true;
      this.spool.discard();
      return true;
    }
    this.spool.add(chunk);
    return true;
  }

  protected override onEnd(): void {
    this.finish();
  }

  override destroy(_err?: Error): this {
    // The producer cut the response: treat what arrived as final (the retry expression may replay it).
    this.finish();
    return this;
  }

  override get destroyed(): boolean {
    return this.inner.destroyed;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.writableEnded = true;
    this.done(this, this.over);
  }

  discard(): void {
    this.spool.discard();
  }

  /** Sends the collected response with its length. */
  async flushTo(inner: ResponseWriter): Promise<void> {
    const { status, headers } = this.head ?? { status: 502, headers: {} };
    delete headers['transfer-encoding'];
    headers['content-length'] = this.spool.size;
    inner.writeHead(status, headers);
    const body = await this.spool.toStream();
    if (Buffer.isBuffer(body)) {
      inner.end(body);
      return;
    }
    body.on('data', (chunk: Buffer) => {
      if (!inner.write(chunk)) {
        body.pause();
        inner.once('drain', () => body.resume());
      }
    });
    body.on('end', () => inner.end());
    body.on('error', () => inner.destroy());
  }
}
