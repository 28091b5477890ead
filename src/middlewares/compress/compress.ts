import { SwitchyardError } from '../../core/errors.js';
import type { Middleware } from '../contract.js';
import { type CompressPlan, CompressResponse } from './compress-response.js';
import { ENCODERS, negotiate } from './encoders.js';
import type { CompressOptions } from './schema.js';

const KNOWN = new Set(['gzip', 'br', 'zstd']);
/** Offered when `encodings` is not given; the ones this Node.js lacks are left out without a word. */
const DEFAULT_ENCODINGS = ['gzip', 'br', 'zstd'];

function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/**
 * Compresses responses with the client's most preferred-by-us encoding. Never for HEAD, gRPC (request or
 * response `application/grpc…`), already-encoded responses or excluded types. zstd is offered only where
 * this Node.js has it.
 */
export function createCompress(options: CompressOptions, warn: (msg: string) => void): Middleware {
  if (options.excludedContentTypes?.length && options.includedContentTypes?.length) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      'compress: excludedContentTypes and includedContentTypes are mutually exclusive',
    );
  }
  const encodings: string[] = [];
  for (const raw of options.encodings ?? DEFAULT_ENCODINGS) {
    const enc = raw.trim().toLowerCase();
    if (!KNOWN.has(enc))
      throw new SwitchyardError('CONFIG_INVALID', `compress: unknown encoding "${raw}" (gzip, br, zstd)`);
    if (ENCODERS[enc]) encodings.push(enc);
    else if (options.encodings)
      warn(
        `compress: encoding "${enc}" is not available on this Node.js ${process.version} and is not offered`,
      );
  }
  const fallback = options.defaultEncoding?.trim().toLowerCase() || undefined;
  if (fallback !== undefined && !encodings.includes(fallback)) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `compress: defaultEncoding "${fallback}" is not one of the encodings offered`,
    );
  }
  const included = options.includedContentTypes?.length
    ? new Set(options.includedContentTypes.map(mediaType))
    : undefined;
  const excluded = new Set((options.excludedContentTypes ?? []).map(mediaType));
  const plan: CompressPlan = {
    minBytes: options.minResponseBodyBytes,
    compressible: (contentType) => {
      const type = mediaType(contentType);
      if (type.startsWith('application/grpc')) return false;
      return included ? included.has(type) : !excluded.has(type);
    },
    create: (encoding) => ENCODERS[encoding]!(),
  };
  return (next) => (ctx) => {
    const req = ctx.req;
    const accept = req.headers['accept-encoding'];
    const encoding =
      accept === undefined || accept === '' ? fallback : negotiate(String(accept), encodings, fallback);
    if (
      encoding === undefined ||
      req.method === 'HEAD' ||
      String(req.headers['content-type'] ?? '').startsWith('application/grpc')
    ) {
      next(ctx);
      return;
    }
    ctx.res = new CompressResponse(ctx.res, plan, encoding).asWriter();
    next(ctx);
  };
}
