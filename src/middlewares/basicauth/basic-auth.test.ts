import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import basicAuth from './index.js';
import type { BasicAuthOptions } from './schema.js';

// test:test in MD5-apr1, SHA1 and bcrypt
const APR1 = 'test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/';
const SHA = 'sha:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=';
const BCRYPT = 'bc:$2y$05$In7Md.XC5uFgDS3pE3nYN.cW2UakzSkuPyDnF2CqEPemHkLHCjQrC';

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

async function serve(options: Partial<BasicAuthOptions>) {
  return serveMiddleware(
    basicAuth.create({ realm: 'traefik', removeHeader: false, ...options }, testBuildContext()),
  );
}

describe('basicAuth', () => {
  it('accepts MD5-apr1, SHA1 and bcrypt users', async () => {
    const s = await serve({ users: [APR1, SHA, BCRYPT] });
    try {
      for (const user of ['test', 'sha', 'bc']) {
        assert.equal(
          (await s.request('/', { headers: { Authorization: basic(user, 'test') } })).status,
          200,
          user,
        );
      }
    } finally {
      await s.close();
    }
  });

  it('answers 401 with the realm to missing or wrong credentials', async () => {
    const s = await serve({ users: [APR1], realm: 'private' });
    try {
      const none = await s.request('/');
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Basic realm="private"');
      assert.equal((await s.request('/', { headers: { Authorization: basic('test', 'nope') } })).status, 401);
      assert.equal((await s.request('/', { headers: { Authorization: basic('who', 'test') } })).status, 401);
    } finally {
      await s.close();
    }
  });

  it('sets headerField, removes Authorization when asked, and reads usersFile', async () => {
    const file = join(tmpdir(), `sy-users-${process.pid}`);
    writeFileSync(file, `# comment\n${SHA}\n\n`);
    const s = await serve({ usersFile: file, headerField: 'X-User', removeHeader: true });
    try {
      const got = await s.echo('/', { headers: { Authorization: basic('sha', 'test') } });
      assert.equal(got.headers['x-user'], 'sha');
      assert.equal(got.headers.authorization, undefined);
    } finally {
      await s.close();
    }
  });

  it('lets a user given in users win over the same user in usersFile, as Traefik does', async () => {
    const file = join(tmpdir(), `sy-users-override-${process.pid}`);
    writeFileSync(file, `${APR1}\n`); // test:test
    const other = createHash('sha1').update('other').digest('base64');
    const s = await serve({ usersFile: file, users: [`test:{SHA}${other}`] });
    try {
      assert.equal(
        (await s.request('/', { headers: { Authorization: basic('test', 'other') } })).status,
        200,
      );
      assert.equal((await s.request('/', { headers: { Authorization: basic('test', 'test') } })).status, 401);
    } finally {
      await s.close();
    }
  });

  it('refuses unknown hash formats, missing users and unreadable files', () => {
    const build = testBuildContext();
    const base = { realm: 'traefik', removeHeader: false };
    assert.throws(() => basicAuth.create({ ...base, users: ['u:plain'] }, build), SwitchyardError);
    assert.throws(() => basicAuth.create({ ...base, users: [] }, build), SwitchyardError);
    assert.throws(
      () => basicAuth.create({ ...base, usersFile: '/nonexistent/file' }, build),
      SwitchyardError,
    );
  });
});
