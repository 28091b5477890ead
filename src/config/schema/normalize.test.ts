import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Duration, OneOfKeys, Secret, StringList } from './kinds.js';
import { normalize } from './normalize.js';

const Server = Type.Object(
  { url: Type.String(), weight: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
const Timeouts = Type.Object(
  { readTimeout: Duration({ default: 60_000 }), idleTimeout: Duration({ default: 180_000 }) },
  { default: {} },
);
const EntryPoint = Type.Object({
  address: Type.String(),
  asDefault: Type.Boolean({ default: false }),
  transport: Type.Object({ respondingTimeouts: Timeouts }, { default: {} }),
  http3: Type.Optional(Type.Object({ advertisedPort: Type.Optional(Type.Integer()) })),
  middlewares: Type.Optional(StringList()),
});
const Root = Type.Object({
  entryPoints: Type.Record(Type.String(), EntryPoint, { default: {} }),
  servers: Type.Optional(Type.Array(Server)),
  ports: Type.Optional(Type.Array(Type.Integer())),
  level: Type.Union([Type.Literal('ERROR'), Type.Literal('DEBUG')], { default: 'ERROR' }),
  ratio: Type.Optional(Type.Number()),
  password: Type.Optional(Secret()),
});

describe('normalize: keys', () => {
  it('matches property names case-insensitively and outputs canonical names', () => {
    const { value, issues } = normalize(Root, {
      EntryPoints: { web: { ADDRESS: ':80', AsDefault: 'true' } },
    });
    assert.deepEqual(issues, []);
    assert.equal(value.entryPoints.web!.address, ':80');
    assert.equal(value.entryPoints.web!.asDefault, true);
  });

  it('keeps record keys as written', () => {
    const { value } = normalize(Root, { entrypoints: { WebSecure: { address: ':443' } } });
    assert.deepEqual(Object.keys(value.entryPoints), ['WebSecure']);
  });

  it('reports an unknown key with a suggestion and the path as written', () => {
    const { issues } = normalize(Root, { entrypoints: { web: { address: ':80', adress: ':81' } } });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.message, 'unknown key "entrypoints.web.adress" (did you mean "address"?)');
    assert.equal(issues[0]!.path, 'entryPoints.web.adress');
    assert.equal(issues[0]!.code, 'CONFIG_UNKNOWN_KEY');
  });

  it('reports an unknown key without suggestion when nothing is close', () => {
    const { issues } = normalize(Root, { zzzzzzzz: 1 });
    assert.equal(issues[0]!.message, 'unknown key "zzzzzzzz"');
  });

  it('reports a key given twice in different case', () => {
    const { issues } = normalize(Root, { entryPoints: { web: { address: ':80', Address: ':81' } } });
    assert.match(issues[0]!.message, /given twice/);
  });

  it('allows extra keys when additionalProperties is true or a schema', () => {
    const Open = Type.Object({ a: Type.Optional(Type.String()) }, { additionalProperties: true });
    assert.deepEqual(normalize(Open, { A: 'x', b: { c: 1 } }).value, { a: 'x', b: { c: 1 } });
    const Typed = Type.Object({}, { additionalProperties: Type.Integer() });
    const r = normalize(Typed, { n: '3', m: 'x' });
    assert.deepEqual(r.value, { n: 3 });
    assert.equal(r.issues[0]!.path, 'm');
  });
});

describe('normalize: conversions', () => {
  it('converts strings to booleans, integers and numbers', () => {
    const { value, issues } = normalize(Root, {
      entryPoints: { web: { address: ':80', asDefault: 'TRUE' } },
      ports: ['80', 443],
      ratio: '0.5',
    });
    assert.deepEqual(issues, []);
    assert.equal(value.entryPoints.web!.asDefault, true);
    assert.deepEqual(value.ports, [80, 443]);
    assert.equal(value.ratio, 0.5);
  });

  it('converts numbers and booleans to strings', () => {
    const { value } = normalize(Root, { entryPoints: { web: { address: 80 } } });
    assert.equal(value.entryPoints.web!.address, '80');
  });

  it('parses durations into milliseconds, bare numbers as seconds', () => {
    const input = {
      web: { address: ':80', transport: { respondingTimeouts: { readTimeout: '1m30s', idleTimeout: 5 } } },
    };
    const { value } = normalize(Root, { entryPoints: input });
    assert.equal(value.entryPoints.web!.transport.respondingTimeouts.readTimeout, 90_000);
    assert.equal(value.entryPoints.web!.transport.respondingTimeouts.idleTimeout, 5_000);
  });

  it('names path, expected type and value on a bad duration', () => {
    const input = { web: { address: ':80', transport: { respondingTimeouts: { readTimeout: 'fast' } } } };
    const { issues } = normalize(Root, { entryPoints: input });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, 'entryPoints.web.transport.respondingTimeouts.readTimeout');
    assert.equal(issues[0]!.message, 'expected a duration (e.g. "60s"), got "fast"');
    assert.equal(issues[0]!.code, 'CONFIG_TYPE');
  });

  it('rejects non-integers, bad booleans and objects for scalars', () => {
    const { issues } = normalize(Root, {
      ports: ['1.5'],
      entryPoints: { web: { address: { a: 1 }, asDefault: 'yes' } },
    });
    assert.deepEqual(
      issues.map((i) => `${i.path}: ${i.message}`),
      [
        'ports.0: expected an integer, got "1.5"',
        'entryPoints.web.address: expected a string, got an object',
        'entryPoints.web.asDefault: expected a boolean (true or false), got "yes"',
      ],
    );
  });

  it('checks numeric bounds', () => {
    const { issues } = normalize(Root, { servers: [{ url: 'http://a', weight: -1 }] });
    assert.equal(issues[0]!.path, 'servers.0.weight');
    assert.equal(issues[0]!.message, 'must be at least 0, got -1');
  });

  it('matches enums case-insensitively and outputs the canonical literal', () => {
    assert.equal(normalize(Root, { level: 'debug' }).value.level, 'DEBUG');
    const { issues } = normalize(Root, { level: 'loud' });
    assert.equal(issues[0]!.message, 'expected one of "ERROR", "DEBUG", got "loud"');
  });

  it('never echoes a secret in a message', () => {
    const S = Type.Object({ token: Secret({ minLength: 8 }) });
    const { issues } = normalize(S, { token: 'short' });
    assert.equal(issues[0]!.message, 'must be at least 8 characters, got a secret value');
  });
});

describe('normalize: objects given as flags', () => {
  for (const given of [true, 'true', '', null]) {
    it(`turns ${JSON.stringify(given)} into an enabled section`, () => {
      const { value, issues } = normalize(Root, { entryPoints: { web: { address: ':80', http3: given } } });
      assert.deepEqual(issues, []);
      assert.deepEqual(value.entryPoints.web!.http3, {});
    });
  }

  it('leaves a section given false out', () => {
    const { value } = normalize(Root, { entryPoints: { web: { address: ':80', http3: 'false' } } });
    assert.equal(value.entryPoints.web!.http3, undefined);
  });
});

describe('normalize: lists', () => {
  it('accepts objects with numeric keys in numeric order', () => {
    const { value } = normalize(Root, { servers: { 1: { url: 'b' }, 0: { url: 'a' }, 10: { url: 'c' } } });
    assert.deepEqual(
      value.servers?.map((s) => s.url),
      ['a', 'b', 'c'],
    );
  });

  it('splits StringList strings always, other scalar lists only fromStrings', () => {
    const ep = { address: ':80', middlewares: 'a, b,,c' };
    assert.deepEqual(normalize(Root, { entryPoints: { web: ep } }).value.entryPoints.web!.middlewares, [
      'a',
      'b',
      'c',
    ]);
    assert.equal(normalize(Root, { ports: '80,443' }).issues[0]!.message, 'expected a list, got "80,443"');
    assert.deepEqual(normalize(Root, { ports: '80,443' }, { fromStrings: true }).value.ports, [80, 443]);
  });

  it('rejects an object with non-numeric keys', () => {
    const { issues } = normalize(Root, { servers: { a: { url: 'x' } } });
    assert.equal(issues[0]!.message, 'expected a list, got an object');
  });

  it('reports issues inside list items with their index', () => {
    const { issues } = normalize(Root, { servers: [{ url: 'a' }, { uri: 'b' }] });
    assert.deepEqual(
      issues.map((i) => [i.path, i.code]),
      [
        ['servers.1.uri', 'CONFIG_UNKNOWN_KEY'],
        ['servers.1.url', 'CONFIG_MISSING'],
      ],
    );
    assert.match(issues[0]!.message, /did you mean "url"/);
  });
});

describe('normalize: defaults and required keys', () => {
  it('fills defaults, including nested sections with default {}', () => {
    const { value, issues } = normalize(Root, { entryPoints: { web: { address: ':80' } } });
    assert.deepEqual(issues, []);
    assert.equal(value.level, 'ERROR');
    assert.deepEqual(value.entryPoints.web, {
      address: ':80',
      asDefault: false,
      transport: { respondingTimeouts: { readTimeout: 60_000, idleTimeout: 180_000 } },
    });
  });

  it('fills defaults for an absent top-level input', () => {
    assert.deepEqual(normalize(Timeouts, undefined).value, { readTimeout: 60_000, idleTimeout: 180_000 });
  });

  it('treats a null scalar as absent', () => {
    const { value } = normalize(Root, { level: null });
    assert.equal(value.level, 'ERROR');
  });

  it('reports a missing required key', () => {
    const { issues } = normalize(Root, { entryPoints: { web: {} } });
    assert.deepEqual(issues, [
      { path: 'entryPoints.web.address', message: 'missing required key "address"', code: 'CONFIG_MISSING' },
    ]);
  });

  it('does not apply a default over a value that failed', () => {
    const { value } = normalize(Root, { level: 'nope' });
    assert.equal(value.level, undefined);
  });
});

describe('normalize: one-of-keys and unions', () => {
  const Service = OneOfKeys({
    loadBalancer: Type.Optional(Type.Object({ servers: Type.Array(Server) })),
    weighted: Type.Optional(Type.Object({ services: StringList() })),
    mirroring: Type.Optional(Type.Object({ service: Type.String() })),
  });

  it('accepts one key and rejects several, naming them', () => {
    assert.deepEqual(normalize(Service, { weighted: { services: 'a' } }).issues, []);
    const { issues } = normalize(Service, { weighted: { services: 'a' }, mirroring: { service: 'b' } });
    assert.equal(issues[0]!.message, 'only one of "weighted" and "mirroring" may be set');
    const three = { loadBalancer: { servers: [] }, weighted: { services: [] }, mirroring: { service: 'b' } };
    assert.match(normalize(Service, three).issues[0]!.message, /"loadBalancer", "weighted" and "mirroring"/);
  });

  it('picks the first union member that fits, else the closest object member', () => {
    const U = Type.Union([Type.Integer(), Type.Object({ n: Type.Integer() })]);
    assert.equal(normalize(U, '4').value, 4);
    assert.deepEqual(normalize(U, { N: '5' }).value, { n: 5 });
    assert.equal(normalize(U, { n: 'x' }).issues[0]!.path, 'n');
    assert.equal(normalize(U, [1]).issues[0]!.message, 'expected an integer or an object, got a list');
  });
});

describe('normalize: sources', () => {
  it('asks locate with the path as written and adds the source', () => {
    const seen: unknown[] = [];
    const locate = (path: (string | number)[]) => {
      seen.push(path);
      return `file.yml:${path.length}`;
    };
    const { issues } = normalize(Root, { ENTRYPOINTS: { web: { Address: 1, bogus: 1 } } }, { locate });
    assert.deepEqual(seen, [['ENTRYPOINTS', 'web', 'bogus']]);
    assert.equal(issues[0]!.source, 'file.yml:3');
  });

  it('prefixes paths for element-by-element use', () => {
    const locate = (path: (string | number)[]) => path.join('/');
    const { issues } = normalize(
      Server,
      { url: 'x', weight: 'w' },
      { prefix: ['http', 'services', 's'], locate },
    );
    assert.deepEqual(issues[0], {
      path: 'http.services.s.weight',
      message: 'expected an integer, got "w"',
      code: 'CONFIG_TYPE',
      source: 'http/services/s/weight',
    });
  });
});
