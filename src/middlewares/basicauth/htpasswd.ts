import { createHash, timingSafeEqual } from 'node:crypto';
import { lazyModule } from '../../core/lazy-module.js';

// The hash libraries load with the first basicAuth user list that needs them, not at every start.
const apacheMd5 = lazyModule<(password: string, salt: string) => string>('apache-md5');
const bcryptjs = lazyModule<{ compareSync(password: string, hash: string): boolean }>('bcryptjs');

/** Checks a password against one htpasswd hash; undefined return from `hashKind` = unsupported format. */
export type Verifier = (password: string) => boolean;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Prepares the check for an htpasswd hash: `$apr1$`/`$1$` (MD5 crypt), `{SHA}` (base64 SHA-1) and
 * `$2a$`/`$2b$`/`$2y$` (bcrypt). Returns undefined for any other format (plain text is refused).
 */
export function verifierFor(hash: string): Verifier | undefined {
  if (hash.startsWith('$apr1$') || hash.startsWith('$1$')) {
    const md5 = apacheMd5();
    return (pw) => same(md5(pw, hash), hash);
  }
  if (hash.startsWith('{SHA}')) {
    const want = hash.slice(5);
    return (pw) => same(createHash('sha1').update(pw).digest('base64'), want);
  }
  if (/^\$2[aby]\$\d\d\$/.test(hash)) {
    const normalized = hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
    const bcrypt = bcryptjs();
    return (pw) => bcrypt.compareSync(pw, normalized);
  }
  return undefined;
}
