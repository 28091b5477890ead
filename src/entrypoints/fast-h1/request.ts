import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { DownstreamRequest } from '../../core/http-context.js';
import type { FastHead } from './parse-head.js';

type Listener = (...args: unknown[]) => void;

/**
 * A request served by the HTTP/1 fast path: the `DownstreamRequest` shape with an empty body (the fast
 * path only takes requests without one). The body stream is made only when someone reads it; until then
 * `error` listeners are kept aside (an empty body never fails) and the body counts as ended.
 */
export class FastRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly httpVersion: string;
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor: number;
  readonly complete = true;
  private body: Readable | undefined;
  private errorListeners: Listener[] | undefined;

  constructor(
    head: FastHead,
    readonly socket: Socket,
  ) {
    this.method = head.method;
    this.url = head.url;
    this.headers = head.headers;
    this.rawHeaders = head.rawHeaders;
    this.httpVersionMinor = head.minor;
    this.httpVersion = head.minor === 1 ? '1.1' : '1.0';
  }

  asRequest(): DownstreamRequest {
    return this as unknown as DownstreamRequest;
  }

  get readableEnded(): boolean {
    return this.body === undefined || this.body.readableEnded;
  }

  /** The empty body as a stream, made on first use. */
  private stream(): Readable {
    let body = this.body;
    if (body === undefined) {
      body = new Readable({ read() {} });
      body.push(null);
      for (const fn of this.errorListeners ?? []) body.on('error', fn);
      this.errorListeners = undefined;
      this.body = body;
    }
    return body;
  }

  private keepErrorListener(fn: Listener): void {
    if (this.errorListeners === undefined) this.errorListeners = [fn];
    else this.errorListeners.push(fn);
  }

  on(event: string, fn: Listener): this {
    if (event === 'error' && this.body === undefined) this.keepErrorListener(fn);
    else this.stream().on(event, fn);
    return this;
  }
  once(event: string, fn: Listener): this {
    if (event === 'error' && this.body === undefined) this.keepErrorListener(fn);
    else this.stream().once(event, fn);
    return this;
  }
  off(event: string, fn: Listener): this {
    if (this.body !== undefined) this.body.off(event, fn);
    else if (this.errorListeners !== undefined) {
      const at = this.errorListeners.indexOf(fn);
      if (at !== -1) this.errorListeners.splice(at, 1);
    }
    return this;
  }
  pause(): this {
    this.stream().pause();
    return this;
  }
  resume(): this {
    // Nothing to drain unless someone made the stream.
    this.body?.resume();
    return this;
  }
  pipe<T extends NodeJS.WritableStream>(dest: T, options?: { end?: boolean }): T {
    return this.stream().pipe(dest, options);
  }
  unpipe(dest?: NodeJS.WritableStream): this {
    this.body?.unpipe(dest);
    return this;
  }
  /** The body is empty and complete: only its stream (if any) is destroyed, never the connection. */
  destroy(err?: Error): this {
    this.body?.destroy(err);
    return this;
  }
  [Symbol.asyncIterator](): AsyncIterableIterator<unknown> {
    return this.stream()[Symbol.asyncIterator]();
  }
}
