import type { OutgoingHttpHeaders } from 'node:http';
import type zlib from 'node:zlib';
import type { ResponseWriter } from '../../core/http-context.js';
import { ResponseWrapper } from '../response-wrapper.js';

/** What the response decision needs, prepared once per middleware. */
export interface CompressPlan {
  readonly minBytes: number;
  readonly compressible: (contentType: string) => boolean;
  readonly create: (encoding: string) => zlib.Gzip | zlib.BrotliCompress;
}

function addVary(headers: OutgoingHttpHeaders): void {
  const v = headers.vary;
  if (v === undefined || v === '') headers.vary = 'Accept-Encoding';
  else if (!/accept-encoding/i.test(String(v))) headers.vary = `${v}, Accept-Encoding`;
}

/**
 * Compresses a response on the fly once it is known to be worth it: not already encoded, a compressible
 * type, not a 204/304, and at least `minBytes` long (held back until then, or until the end). Each chunk
 * written is flushed through the compressor, so streams (server-sent events…) stay live.
 */
export class CompressResponse extends ResponseWrapper {
  private head: { status: number; headers: OutgoingHttpHeaders } | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private stream: zlib.Gzip | zlib.BrotliCompress | undefined;

  constructor(
    inner: ResponseWriter,
    private readonly plan: CompressPlan,
    private readonly encoding: string,
  ) {
    super(inner);
  }

  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    const type = String(headers['content-type'] ?? '');
    const length = headers['content-length'];
    const eligible =
      headers['content-encoding'] === undefined &&
      status !== 204 &&
      status !== 304 &&
      status >= 200 &&
      this.plan.compressible(type) &&
      !(length !== undefined && Number(length) < this.plan.minBytes);
    if (!eligible) {
      super.onHead(status, headers);
      return;
    }
    addVary(headers);
    this.head = { status, headers };
    if (this.plan.minBytes === 0) this.start();
  }

  protected override emitterFor(event: string): Pick<ResponseWriter, 'on' | 'once' | 'off'> {
    return event === 'drain' && this.stream ? (this.stream as unknown as ResponseWriter) : this.inner;
  }

  protected override onData(chunk: Buffer): boolean {
    if (this.stream) return this.feed(chunk);
    if (!this.head) return this.inner.write(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < this.plan.minBytes) return true;
    this.start();
    return true;
  }

  protected override onEnd(): void {
    if (this.stream) this.stream.end();
    else if (this.head) {
      // Too small to be worth it: send as it came, with its length now known.
      const { status, headers } = this.head;
      this.head = undefined;
      const body = Buffer.concat(this.held, this.heldBytes);
      headers['content-length'] = body.length;
      this.inner.writeHead(status, headers);
      this.inner.end(body);
    } else this.inner.end();
  }

  private start(): void {
    const { status, headers } = this.head!;
    this.head = undefined;
    delete headers['content-length'];
    headers['content-encoding'] = this.encoding;
    this.inner.writeHead(status, headers);
    const stream = this.plan.create(this.encoding);
    this.stream = stream;
    stream.on('data', (out: Buffer) => {
      if (!this.inner.write(out)) {
        stream.pause();
        this.inner.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => this.inner.end());
    stream.on('error', () => this.inner.destroy());
    const held = this.held;
    this.held = [];
    for (const chunk of held) this.feed(chunk);
  }

  private feed(chunk: Buffer): boolean {
    const ok = this.stream!.write(chunk);
    this.stream!.flush();
    return ok;
  }
}
