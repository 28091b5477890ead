import { Readable } from 'node:stream';
import { bodyCut, type HttpContext } from '../core/http-context.js';

export const EMPTY_BODY = Buffer.alloc(0);

/** The outcome of `readBody`: the whole body, or the part read before it went over the limit. */
export type BodyRead = { whole: Buffer } | { tooLarge: Buffer[] };

/** Whether the request announces a body (a content-length above 0 or a transfer-encoding). */
export function hasBody(ctx: HttpContext): boolean {
  const h = ctx.req.headers;
  return (
    h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0')
  );
}

/**
 * Reads the request body so it can be sent more than once (mirrors, failover). `max` < 0 = no limit.
 * A body a middleware already read (`ctx.replayBody`) is used as is. `done` gets `undefined` when the
 * client went away, the body failed or it ended before its framing was complete (`bodyCut`).
 */
export function readBody(ctx: HttpContext, max: number, done: (read: BodyRead | undefined) => void): void {
  if (ctx.replayBody !== undefined) {
    done({ whole: ctx.replayBody });
    return;
  }
  if (!hasBody(ctx)) {
    done({ whole: EMPTY_BODY });
    return;
  }
  const req = ctx.req;
  const declared = Number(req.headers['content-length']);
  if (max >= 0 && declared > max) {
    done({ tooLarge: [] });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const cleanup = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (max >= 0 && size > max) {
      cleanup();
      req.pause();
      done({ tooLarge: chunks });
    }
  };
  const onEnd = () => {
    cleanup();
    if (bodyCut(req)) {
      done(undefined);
      return;
    }
    done({ whole: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
  };
  const onError = () => {
    cleanup();
    done(undefined);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}

/**
 * Puts bytes already read back in front of the rest of the body: `ctx.req` becomes a stream with the
 * same head (method, url, headers) that yields `prefix`, then whatever the client still sends.
 */
export function unreadBody(ctx: HttpContext, prefix: Buffer[]): void {
  const original = ctx.req;
  async function* body() {
    yield* prefix;
    for await (const chunk of original) yield chunk as Buffer;
    if (bodyCut(original)) throw new Error('request body cut short by the client');
  }
  const replaced = Object.assign(Readable.from(body(), { objectMode: false }), {
    method: original.method,
    url: original.url,
    headers: original.headers,
    httpVersion: original.httpVersion,
    socket: original.socket,
  });
  Object.defineProperty(replaced, 'complete', { get: () => original.complete });
  (ctx as { req: HttpContext['req'] }).req = replaced as unknown as HttpContext['req'];
}
