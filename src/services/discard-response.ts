import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ResponseWriter } from '../core/http-context.js';

/**
 * A response that goes nowhere: mirrors write their answers here. It behaves like a healthy client
 * that reads everything at once (never asks to wait for `drain`).
 */
export class DiscardResponse extends EventEmitter {
  headersSent = false;
  statusCode = 200;
  writableEnded = false;
  writableNeedDrain = false;
  destroyed = false;
  private headers: OutgoingHttpHeaders = {};

  writeHead(status: number): this {
    this.statusCode = status;
    this.headersSent = true;
    return this;
  }
  write(): boolean {
    this.headersSent = true;
    return true;
  }
  end(): this {
    if (this.writableEnded) return this;
    this.headersSent = true;
    this.writableEnded = true;
    queueMicrotask(() => this.emit('finish'));
    return this;
  }
  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headers[name.toLowerCase()] = value as string;
    return this;
  }
  getHeader(name: string) {
    return this.headers[name.toLowerCase()];
  }
  getHeaders(): OutgoingHttpHeaders {
    return { ...this.headers };
  }
  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
  hasHeader(name: string): boolean {
    return name.toLowerCase() in this.headers;
  }
  flushHeaders(): void {
    this.headersSent = true;
  }
  writeEarlyHints(): void {}
  detachSocket(): void {}
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    queueMicrotask(() => this.emit('close'));
    return this;
  }

  /** Typed as a response writer, for `ctx.res`. */
  asWriter(): ResponseWriter {
    return this as unknown as ResponseWriter;
  }

  /** Typed as the raw response, for `ctx.rawRes`. */
  asRaw(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}
