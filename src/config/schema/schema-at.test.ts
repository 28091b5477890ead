import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { kindOf } from './describe.js';
import { Duration } from './kinds.js';
import { schemaAt } from './schema-at.js';

const Schema = Type.Object({
  entryPoints: Type.Record(Type.String(), Type.Object({ address: Type.String(), timeout: Duration() })),
  list: Type.Array(Type.Object({ main: Type.String() })),
  choice: Type.Union([Type.String(), Type.Object({ deep: Type.Boolean() })]),
});

describe('schemaAt', () => {
  it('follows objects case-insensitively, records by any name, lists by index', () => {
    assert.equal(kindOf(schemaAt(Schema, ['ENTRYPOINTS', 'web', 'Address'])!), 'String');
    assert.equal(kindOf(schemaAt(Schema, ['list', '0', 'main'])!), 'String');
    assert.equal(kindOf(schemaAt(Schema, ['list', 3])!), 'Object');
    assert.equal(kindOf(schemaAt(Schema, ['choice', 'deep'])!), 'Boolean');
    assert.equal(schemaAt(Schema, []), Schema);
  });

  it('returns undefined for paths that lead nowhere', () => {
    assert.equal(schemaAt(Schema, ['nope']), undefined);
    assert.equal(schemaAt(Schema, ['list', 'x']), undefined);
    assert.equal(schemaAt(Schema, ['entryPoints', 'web', 'address', 'more']), undefined);
  });
});
