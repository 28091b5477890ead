import { bodyCut, type DownstreamRequest } from '../core/http-context.js';

/** Outcome of reading a request body with a limit. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: boolean; error?: Error };

/** True when the request announces a body (Content-Length > 0 or Transfer-Encoding). */
export function hasRequestBody(req: DownstreamRequest): boolean {
  const te = req.headers['transfer-encoding'];
  if (te !== undefined && te !== '') return true;
  const cl = req.headers['content-length'];
  return cl !== undefined && cl !== '0';
}

/**
 * Reads the whole request body into memory, giving up (and pausing the stream) once it exceeds `limit`
 * bytes (`limit` < 0 or undefined: no limit).
 */
export function readBody(
  req: DownstreamRequest,
  limit: number | undefined,
  cb: (r: BodyResult) => void,
): void {
  const declared = Number(req.headers['content-length']);
  if (limit !== undefined && limit >= 0 && Number.isFinite(declared) && declared > limit) {
    cb({ ok: false, tooLarge: true });
    return;
  }
  if (req.readableEnded) {
    cb({ ok: true, body: Buffer.alloc(0) });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (r: BodyResult) => {
    if (done) return;
    done = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    cb(r);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (limit !== undefined && limit >= 0 && size > limit) {
      req.pause();
      finish({ ok: false, tooLarge: true });
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () =>
    finish(
      bodyCut(req)
        ? { ok: false, tooLarge: false, error: new Error('request body cut short by the client') }
        : { ok: true, body: Buffer.concat(chunks, size) },
    );
  const onError = (error: Error) => finish({ ok: false, tooLarge: false, error });
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}
