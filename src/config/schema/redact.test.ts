import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Secret } from './kinds.js';
import { REDACTED, redact } from './redact.js';

const Tls = Type.Object({ cert: Type.Optional(Type.String()), key: Type.Optional(Secret()) });
const Schema = Type.Object({
  redis: Type.Optional(
    Type.Object({
      username: Type.Optional(Type.String()),
      password: Type.Optional(Secret()),
      tls: Type.Optional(Tls),
    }),
  ),
  resolvers: Type.Optional(Type.Record(Type.String(), Type.Object({ token: Type.Optional(Secret()) }))),
  users: Type.Optional(Type.Array(Type.Object({ name: Type.String(), pass: Secret() }))),
  either: Type.Optional(Type.Union([Type.String(), Type.Object({ secret: Type.Optional(Secret()) })])),
});

describe('redact', () => {
  it('replaces every secret, in objects, records, lists and unions', () => {
    const value = {
      redis: { username: 'u', password: 'hunter2', tls: { cert: 'c.pem', key: 'k.pem' } },
      resolvers: { a: { token: 't1' }, b: {} },
      users: [{ name: 'n', pass: 'p' }],
      either: { secret: 's' },
    };
    assert.deepEqual(redact(Schema, value), {
      redis: { username: 'u', password: REDACTED, tls: { cert: 'c.pem', key: REDACTED } },
      resolvers: { a: { token: REDACTED }, b: {} },
      users: [{ name: 'n', pass: REDACTED }],
      either: { secret: REDACTED },
    });
    assert.equal(value.redis.password, 'hunter2', 'the input is not modified');
  });

  it('leaves absent secrets absent and other values alone', () => {
    assert.deepEqual(redact(Schema, { redis: { username: 'u' }, either: 'plain' }), {
      redis: { username: 'u' },
      either: 'plain',
    });
  });

  it('finds secrets under keys written in another case', () => {
    assert.deepEqual(redact(Schema, { REDIS: { Password: 'x' } }), { REDIS: { Password: REDACTED } });
  });
});
