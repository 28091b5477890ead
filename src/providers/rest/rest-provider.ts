import { errorMessage } from '../../core/errors.js';
import { type HttpContext, type HttpHandler, sendText } from '../../core/http-context.js';
import { type Provider, type ProviderSnapshot, untilAborted } from '../contract.js';
import { parseConfigBody } from '../http/parse-body.js';

/** The largest configuration accepted by `PUT /api/providers/rest`. */
const MAX_BODY = 16 * 1024 * 1024;

/**
 * The REST provider: the configuration is whatever was last `PUT` to `/api/providers/rest` (see
 * `restProviderHandler`). Before the first PUT it provides nothing.
 */
export class RestProvider implements Provider {
  readonly name = 'rest';
  private emitFn: ((s: ProviderSnapshot) => void) | undefined;
  private latest: ProviderSnapshot | undefined;

  provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    this.emitFn = emit;
    if (this.latest) emit(this.latest);
    return untilAborted(signal).then(() => {
      this.emitFn = undefined;
    });
  }

  /** Replaces the whole configuration. */
  update(config: unknown): void {
    this.latest = { config, issues: [] };
    this.emitFn?.(this.latest);
  }
}

/**
 * The handler for `PUT /api/providers/rest`: the body (JSON, or YAML) becomes the REST provider's whole
 * configuration; elements that do not validate are reported like any provider's. Other methods: 405.
 *
 * @example routes.set('/api/providers/rest', restProviderHandler(rest))
 */
export function restProviderHandler(provider: RestProvider): HttpHandler {
  return (ctx: HttpContext) => {
    if (ctx.req.method !== 'PUT') {
      sendText(ctx, 405, 'method not allowed\n', { allow: 'PUT' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    ctx.req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY && !failed) {
        failed = true;
        sendText(ctx, 413, 'the configuration is too large\n');
        ctx.req.resume();
        return;
      }
      if (!failed) chunks.push(chunk);
    });
    ctx.req.on('error', () => undefined);
    ctx.req.on('end', () => {
      if (failed) return;
      try {
        const type = ctx.req.headers['content-type'];
        provider.update(parseConfigBody(Buffer.concat(chunks).toString('utf8'), type));
        sendText(ctx, 200, 'configuration accepted\n');
      } catch (err) {
        sendText(ctx, 400, `${errorMessage(err)}\n`);
      }
    });
  };
}
