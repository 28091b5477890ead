import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import { parseDigest } from './digest-auth.js';
import digestAuth from './index.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const USER = `test:traefik:${md5('test:traefik:test')}`;

describe('digestAuth', () => {
  it('challenges, then accepts a correct response with qop=auth', async () => {
    const s = await serveMiddleware(
      digestAuth.create(
        { users: [USER], realm: 'traefik', removeHeader: true, headerField: 'X-User' },
        testBuildContext(),
      ),
    );
    try {
      const first = await s.request('/p');
      assert.equal(first.status, 401);
      const ch = parseDigest(first.headers['www-authenticate'])!;
      assert.equal(ch.get('realm'), 'traefik');
      assert.equal(ch.get('qop'), 'auth');
      const nonce = ch.get('nonce')!;
      const ha1 = md5('test:traefik:test');
      const response = md5(`${ha1}:${nonce}:00000001:abc:auth:${md5('GET:/p')}`);
      const auth = `Digest username="test", realm="traefik", nonce="${nonce}", uri="/p", qop=auth, nc=00000001, cnonce="abc", response="${response}", opaque="${ch.get('opaque')}"`;
      const got = await s.echo('/p', { headers: { Authorization: auth } });
      assert.equal(got.headers['x-user'], 'test');
      assert.equal(got.headers.authorization, undefined);
      // the same nonce count again is a replay
      assert.equal((await s.request('/p', { headers: { Authorization: auth } })).status, 401);
      const wrong = auth.replace(response, md5('x'));
      assert.equal(
        (await s.request('/p', { headers: { Authorization: wrong.replace('nc=00000001', 'nc=00000002') } }))
          .status,
        401,
      );
      const stale = await s.request('/p', {
        headers: { Authorization: auth.replaceAll(nonce, 'f'.repeat(32)) },
      });
      assert.match(String(stale.headers['www-authenticate']), /stale=true/);
    } finally {
      await s.close();
    }
  });

  it('refuses malformed users and users of no matching realm', () => {
    assert.throws(
      () => digestAuth.create({ users: ['a:b'], realm: 'traefik', removeHeader: false }, testBuildContext()),
      SwitchyardError,
    );
    assert.throws(
      () => digestAuth.create({ users: [USER], realm: 'other', removeHeader: false }, testBuildContext()),
      SwitchyardError,
    );
  });
});
