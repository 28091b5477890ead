import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpContext, ResponseHeadHook, ResponseWriter } from '../../core/http-context.js';

type Listener = (...args: unknown[]) => void;

/**
 * Stands in for `ctx.res` while the main service of a failover answers: a response whose status is in
 * `statuses` is swallowed whole and `onFail` runs once it ended (the fallback then answers on the real
 * response); any other answer passes straight through.
 */
export class StatusInterceptor {
  readonly downstream: ResponseWriter;
  /** The head hooks before the main service added its own (restored for the fallback). */
  readonly hooks: ResponseHeadHook[] | undefined;
  private failing = false;
  private failed = false;

  constructor(
    ctx: HttpContext,
    private readonly statuses: ReadonlySet<number>,
    private readonly onFail: () => void,
  ) {
    this.downstream = ctx.res;
    this.hooks = ctx.headHooks?.slice();
    ctx.res = this as unknown as ResponseWriter;
  }

  writeHead(status: number, ...rest: unknown[]): this {
    if (this.statuses.has(status)) this.failing = true;
    else (this.downstream.writeHead as (s: number, ...r: unknown[]) => unknown)(status, ...rest);
    return this;
  }
  write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.failing) return true;
    return (this.downstream.write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
  }
  end(...args: unknown[]): this {
    if (this.failing) this.fail();
    else (this.downstream.end as (...a: unknown[]) => unknown)(...args);
    return this;
  }
  destroy(err?: Error): this {
    if (this.failing) this.fail();
    else this.downstream.destroy(err);
    return this;
  }
  setHeader(name: string, value: number | string | readonly string[]): this {
    this.downstream.setHeader(name, value);
    return this;
  }
  getHeader(name: string) {
    return this.downstream.getHeader(name);
  }
  getHeaders(): OutgoingHttpHeaders {
    return this.downstream.getHeaders();
  }
  removeHeader(name: string): void {
    this.downstream.removeHeader(name);
  }
  hasHeader(name: string): boolean {
    return this.downstream.hasHeader(name);
  }
  flushHeaders(): void {
    if (!this.failing) this.downstream.flushHeaders();
  }
  get headersSent(): boolean {
    return this.failing || this.downstream.headersSent;
  }
  get statusCode(): number {
    return this.downstream.statusCode;
  }
  set statusCode(status: number) {
    this.downstream.statusCode = status;
  }
  get writableEnded(): boolean {
    return this.failing ? this.failed : this.downstream.writableEnded;
  }
  get writableNeedDrain(): boolean {
    return this.failing ? false : this.downstream.writableNeedDrain;
  }
  get destroyed(): boolean {
    return this.downstream.destroyed;
  }
  on(event: string, fn: Listener): this {
    this.downstream.on(event, fn);
    return this;
  }
  once(event: string, fn: Listener): this {
    this.downstream.once(event, fn);
    return this;
  }
  off(event: string, fn: Listener): this {
    this.downstream.off(event, fn);
    return this;
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    queueMicrotask(this.onFail);
  }
}
