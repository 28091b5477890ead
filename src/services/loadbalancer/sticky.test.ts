import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import type { HttpContext } from '../../core/http-context.js';
import { fnv64Hex, readCookie, StickyCookies, stickyCookieName, stickyCookieValue } from './sticky.js';

const A = { url: 'http://10.0.0.1:80' };
const B = { url: 'http://10.0.0.2:80' };

function setCookieOf(sticky: StickyCookies<{ url: string }>, server: { url: string }, existing?: string) {
  const headers: OutgoingHttpHeaders = existing ? { 'set-cookie': existing } : {};
  assert.equal(sticky.hookFor(server)({} as HttpContext, 200, headers), 200);
  return headers['set-cookie'];
}

describe('sticky cookies', () => {
  it('names the cookie as Traefik does', () => {
    const digest = createHash('sha1').update('_TRAEFIK_BACKEND_whoami@docker').digest('hex');
    assert.equal(stickyCookieName(undefined, 'whoami@docker'), `_${digest.slice(0, 5)}`);
    assert.equal(stickyCookieName('', 'whoami@docker').length, 6);
    assert.equal(stickyCookieName('my cookie;1', 'x'), 'my_cookie_1');
    assert.equal(stickyCookieName('ok-name.v2', 'x'), 'ok-name.v2');
  });

  it('values the cookie with the first 16 hex digits of sha256(server URL)', () => {
    const value = stickyCookieValue(A.url);
    assert.equal(value, createHash('sha256').update(A.url).digest('hex').slice(0, 16));
    assert.match(value, /^[0-9a-f]{16}$/);
  });

  it('computes FNV-1 64 like Go hash/fnv', () => {
    // Known FNV-1 64 vectors: "" → offset basis, "a" → af63bd4c8601b7be.
    assert.equal(fnv64Hex(''), 'cbf29ce484222325');
    assert.equal(fnv64Hex('a'), 'af63bd4c8601b7be');
  });

  it('finds the server a cookie names, flags legacy values, ignores unknown ones', () => {
    const sticky = new StickyCookies({ name: 'lb' }, 'svc@file', [A, B]);
    assert.deepEqual(sticky.lookup(`x=1; lb=${stickyCookieValue(B.url)}; y=2`), { server: B, legacy: false });
    assert.deepEqual(sticky.lookup(`lb=${A.url}`), { server: A, legacy: true });
    assert.deepEqual(sticky.lookup(`lb="${fnv64Hex(A.url)}"`), { server: A, legacy: true });
    assert.deepEqual(sticky.lookup(`lb=${fnv64Hex(fnv64Hex(B.url))}`), { server: B, legacy: true });
    assert.equal(sticky.lookup('lb=0000000000000000'), undefined);
    assert.equal(sticky.lookup('other=1'), undefined);
    assert.equal(sticky.lookup(undefined), undefined);
  });

  it('writes the cookie with the configured attributes in Go order', () => {
    const plain = new StickyCookies({}, 'svc@file', [A]);
    assert.equal(setCookieOf(plain, A), `${plain.name}=${stickyCookieValue(A.url)}; Path=/`);
    const full = new StickyCookies(
      {
        name: 'lb',
        secure: true,
        httpOnly: true,
        sameSite: 'lax',
        maxAge: 60,
        path: '/app',
        domain: '.example.com',
      },
      'svc@file',
      [A],
    );
    assert.equal(
      setCookieOf(full, A),
      `lb=${stickyCookieValue(A.url)}; Path=/app; Domain=example.com; Max-Age=60; HttpOnly; Secure; SameSite=Lax`,
    );
    const expired = new StickyCookies({ name: 'lb', maxAge: -1, sameSite: 'none' }, 'svc@file', [A]);
    assert.match(String(setCookieOf(expired, A)), /; Max-Age=0; SameSite=None$/);
    assert.deepEqual(setCookieOf(full, A, 'app=1'), ['app=1', String(setCookieOf(full, A))]);
  });

  it('reads cookies the way browsers send them', () => {
    assert.equal(readCookie('a=1;b=2', 'b'), '2');
    assert.equal(readCookie(' a = 1 ; b=', 'b'), '');
    assert.equal(readCookie('ab=1; b=2', 'b'), '2');
    assert.equal(readCookie('a=1', 'b'), undefined);
    assert.equal(readCookie('b=first; b=second', 'b'), 'first');
  });
});
