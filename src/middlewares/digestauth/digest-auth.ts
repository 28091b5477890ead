import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { userLines } from '../users-file.js';
import type { DigestAuthOptions } from './schema.js';

/** Nonces handed out and not yet forgotten (the oldest go first past this count). */
const MAX_NONCES = 10_000;

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Parses `Digest k="v", k2=v2` into a map (undefined if it is not a Digest credential). */
export function parseDigest(value: string | undefined): Map<string, string> | undefined {
  if (value === undefined || !/^digest /i.test(value)) return undefined;
  const out = new Map<string, string>();
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let m = re.exec(value.slice(7)); m !== null; m = re.exec(value.slice(7))) {
    out.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  return out;
}

/**
 * HTTP Digest authentication (RFC 7616, MD5, qop=auth or none). Users are `name:realm:HA1` lines; only
 * those of the configured realm count. Nonces are issued by this middleware and must come back with an
 * increasing nonce count; an unknown nonce gets a fresh challenge with `stale=true`. Failures get 401.
 */
export function createDigestAuth(options: DigestAuthOptions): Middleware {
  const users = new Map<string, string>();
  for (const line of userLines(options.users, options.usersFile, 'digestAuth')) {
    const parts = line.split(':');
    if (parts.length !== 3 || !/^[0-9a-f]{32}$/i.test(parts[2]!)) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `digestAuth: user ${JSON.stringify(line)} is not name:realm:md5hex`,
      );
    }
    if (parts[1] === options.realm) users.set(parts[0]!, parts[2]!.toLowerCase());
  }
  if (users.size === 0)
    throw new SwitchyardError('CONFIG_INVALID', `digestAuth: no user in realm "${options.realm}"`);
  const realm = options.realm;
  const opaque = randomBytes(8).toString('hex');
  const nonces = new Map<string, number>();
  const field = options.headerField?.toLowerCase();
  const challenge = (ctx: HttpContext, stale: boolean) => {
    const nonce = randomBytes(16).toString('hex');
    nonces.set(nonce, 0);
    if (nonces.size > MAX_NONCES) nonces.delete(nonces.keys().next().value!);
    const value = `Digest realm="${realm}", nonce="${nonce}", opaque="${opaque}", algorithm="MD5", qop="auth"${stale ? ', stale=true' : ''}`;
    sendText(ctx, 401, '401 Unauthorized\n', { 'www-authenticate': value });
  };
  return (next) => (ctx) => {
    const p = parseDigest(ctx.req.headers.authorization);
    const user = p?.get('username');
    const ha1 = user === undefined ? undefined : users.get(user);
    if (!p || !ha1 || p.get('realm') !== realm || p.get('uri') !== ctx.req.url) {
      challenge(ctx, false);
      return;
    }
    const nonce = p.get('nonce') ?? '';
    const lastCount = nonces.get(nonce);
    if (lastCount === undefined) {
      challenge(ctx, true);
      return;
    }
    const qop = p.get('qop');
    const nc = Number.parseInt(p.get('nc') ?? '0', 16);
    if (qop !== undefined && (qop !== 'auth' || !(nc > lastCount))) {
      challenge(ctx, false);
      return;
    }
    const ha2 = md5(`${ctx.req.method}:${p.get('uri')}`);
    const expected =
      qop === undefined
        ? md5(`${ha1}:${nonce}:${ha2}`)
        : md5(`${ha1}:${nonce}:${p.get('nc')}:${p.get('cnonce') ?? ''}:${qop}:${ha2}`);
    const got = Buffer.from(p.get('response') ?? '');
    if (got.length !== 32 || !timingSafeEqual(got, Buffer.from(expected))) {
      challenge(ctx, false);
      return;
    }
    if (qop !== undefined) nonces.set(nonce, nc);
    ctx.clientUsername = user!;
    if (field) ctx.req.headers[field] = user!;
    if (options.removeHeader) delete ctx.req.headers.authorization;
    next(ctx);
  };
}
