import { readFileSync } from 'node:fs';
import type * as UndiciLib from 'undici';
import { SwitchyardError } from '../../core/errors.js';
import { lazyModule } from '../../core/lazy-module.js';
import type { ForwardAuthOptions } from './schema.js';

/** undici, loaded when first used. */
const undici = lazyModule<typeof UndiciLib>('undici');

/** The auth server's answer, body read (up to the limit). */
export interface AuthAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function readPem(path: string | undefined, what: string): string | undefined {
  if (!path) return undefined;
  if (path.includes('-----BEGIN')) return path;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `forwardAuth: tls.${what} cannot be read: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** An undici client for the auth server, with the configured TLS (built once). */
export function authClient(options: ForwardAuthOptions) {
  let url: URL;
  try {
    url = new URL(options.address);
  } catch {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `forwardAuth: address ${JSON.stringify(options.address)} is not a URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SwitchyardError('CONFIG_INVALID', 'forwardAuth: address must be http:// or https://');
  }
  const tls = options.tls ?? {};
  const dispatcher = new (undici().Agent)({
    connect: {
      ca: readPem(tls.ca, 'ca'),
      cert: readPem(tls.cert, 'cert'),
      key: readPem(tls.key, 'key'),
      rejectUnauthorized: tls.insecureSkipVerify !== true,
    },
  });
  const limit = options.maxResponseBodySize;
  return async (
    method: string,
    headers: Record<string, string | string[]>,
    body: Buffer | undefined,
  ): Promise<AuthAnswer> => {
    const res = await undici().request(url, {
      method,
      headers,
      body,
      dispatcher,
      maxRedirections: 0,
    } as Parameters<typeof UndiciLib.request>[1]);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (limit >= 0 && size > limit) {
        res.body.destroy();
        throw new SwitchyardError('BAD_REQUEST', 'auth response body too large');
      }
      chunks.push(chunk as Buffer);
    }
    return {
      status: res.statusCode,
      headers: res.headers as Record<string, string | string[]>,
      body: Buffer.concat(chunks),
    };
  };
}
