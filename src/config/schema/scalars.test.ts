import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Duration } from './kinds.js';
import { convertScalar } from './scalars.js';

const ok = (value: unknown) => ({ ok: true, value });

describe('convertScalar', () => {
  it('reads Go-style booleans', () => {
    for (const t of ['true', 'TRUE', 't', '1', true])
      assert.deepEqual(convertScalar(Type.Boolean(), t), ok(true));
    for (const f of ['false', 'F', '0', false]) assert.deepEqual(convertScalar(Type.Boolean(), f), ok(false));
    assert.equal(convertScalar(Type.Boolean(), 'on').ok, false);
  });

  it('reads numbers and integers from strings, rejecting junk', () => {
    assert.deepEqual(convertScalar(Type.Number(), ' 1.5 '), ok(1.5));
    assert.deepEqual(convertScalar(Type.Number(), '-2e3'), ok(-2000));
    assert.deepEqual(convertScalar(Type.Integer(), '+7'), ok(7));
    assert.equal(convertScalar(Type.Number(), '').ok, false);
    assert.equal(convertScalar(Type.Number(), '12abc').ok, false);
    assert.equal(convertScalar(Type.Integer(), 2.5).ok, false);
  });

  it('reads durations as milliseconds', () => {
    assert.deepEqual(convertScalar(Duration(), '250ms'), ok(250));
    assert.deepEqual(convertScalar(Duration(), '10'), ok(10_000));
    assert.deepEqual(convertScalar(Duration(), 0), ok(0));
    assert.deepEqual(convertScalar(Duration(), '1h'), ok(3_600_000));
    assert.deepEqual(convertScalar(Duration(), true), {
      ok: false,
      code: 'CONFIG_TYPE',
      message: 'expected a duration (e.g. "60s"), got true',
    });
  });

  it('checks string length and pattern', () => {
    assert.equal(convertScalar(Type.String({ minLength: 1 }), '').ok, false);
    const r = convertScalar(Type.String({ pattern: '^/' }), 'api');
    assert.deepEqual(r, { ok: false, code: 'CONFIG_INVALID', message: 'must match ^/, got "api"' });
  });
});
