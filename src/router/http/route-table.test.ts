import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matcherContext } from '../../rules/test-requests.js';
import { PROVIDER_PRECEDENCE } from './provider-precedence.js';
import { buildRouteTable, type RouteEntry } from './route-table.js';

const ctx = (host: string, path = '/', method = 'GET') => matcherContext({ host, path, method });

function route(name: string, rule: string, extra: Partial<RouteEntry<string>> = {}): RouteEntry<string> {
  return { name, rule, handler: name, ...extra };
}

function build(routes: RouteEntry<string>[]) {
  const { table, errors } = buildRouteTable(routes);
  assert.deepEqual(errors, []);
  return table;
}

describe('buildRouteTable: ordering', () => {
  it('defaults the priority to the rule length, longest first', () => {
    const table = build([
      route('short@file', 'PathPrefix(`/`)'),
      route('long@file', 'PathPrefix(`/api`)'),
      route('longer@file', 'PathPrefix(`/api/v1`)'),
    ]);
    assert.deepEqual(
      table.routes.map((r) => [r.entry.name, r.priority]),
      [
        ['longer@file', 21],
        ['long@file', 18],
        ['short@file', 15],
      ],
    );
    assert.equal(table.match(ctx('a.com', '/api/v1/x'))?.name, 'longer@file');
    assert.equal(table.match(ctx('a.com', '/api/v2'))?.name, 'long@file');
    assert.equal(table.match(ctx('a.com', '/other'))?.name, 'short@file');
  });

  it('honours explicit priorities, 0 meaning the default, negatives allowed', () => {
    const table = build([
      route('catchall@file', 'PathPrefix(`/`)', { priority: 100 }),
      route('api@file', 'PathPrefix(`/api`)', { priority: 0 }),
      route('last@file', 'PathPrefix(`/api/x`)', { priority: -1 }),
    ]);
    assert.deepEqual(
      table.routes.map((r) => r.entry.name),
      ['catchall@file', 'api@file', 'last@file'],
    );
    assert.equal(table.match(ctx('a.com', '/api/x'))?.name, 'catchall@file');
  });

  it('breaks priority ties by provider precedence, then by name', () => {
    assert.ok(PROVIDER_PRECEDENCE.indexOf('file') < PROVIDER_PRECEDENCE.indexOf('etcd'));
    const table = build([
      route('b@etcd', 'Path(`/x`)'),
      route('z@file', 'Path(`/x`)'),
      route('a@etcd', 'Path(`/x`)'),
      route('c@internal', 'Path(`/x`)'),
      route('d', 'Path(`/x`)', { provider: 'docker' }),
    ]);
    assert.deepEqual(
      table.routes.map((r) => r.entry.name),
      ['d', 'z@file', 'a@etcd', 'b@etcd', 'c@internal'],
    );
    assert.equal(table.match(ctx('a.com', '/x'))?.name, 'd');
  });

  it('accepts a custom provider precedence', () => {
    const { table } = buildRouteTable([route('a@file', 'Path(`/x`)'), route('b@etcd', 'Path(`/x`)')], {
      providerPrecedence: ['ETCD', 'file'],
    });
    assert.equal(table.match(ctx('a.com', '/x'))?.name, 'b@etcd');
  });
});

describe('buildRouteTable: host index', () => {
  it('interleaves host routes and general routes by priority', () => {
    const table = build([
      route('host-low@file', 'Host(`a.com`)', { priority: 10 }),
      route('prefix-mid@file', 'PathPrefix(`/api`)', { priority: 20 }),
      route('host-high@file', 'Host(`a.com`) && PathPrefix(`/api/admin`)', { priority: 30 }),
      route('other-host@file', 'Host(`b.com`)', { priority: 40 }),
      route('fallback@file', 'PathPrefix(`/`)', { priority: 5 }),
    ]);
    assert.equal(table.match(ctx('a.com', '/api/admin/x'))?.name, 'host-high@file');
    assert.equal(table.match(ctx('a.com', '/api/users'))?.name, 'prefix-mid@file');
    assert.equal(table.match(ctx('a.com', '/home'))?.name, 'host-low@file');
    assert.equal(table.match(ctx('b.com', '/api'))?.name, 'other-host@file');
    assert.equal(table.match(ctx('c.com', '/api'))?.name, 'prefix-mid@file');
    assert.equal(table.match(ctx('c.com', '/home'))?.name, 'fallback@file');
  });

  it('routes wildcard hosts by parent domain', () => {
    const table = build([
      route('wild@file', 'Host(`*.a.com`)'),
      route('deep@file', 'Host(`**.a.com`)'),
      route('exact@file', 'Host(`www.a.com`)'),
      route('both@file', 'Host(`x.b.com`) || Host(`*.b.com`)', { priority: 1 }),
    ]);
    assert.equal(table.match(ctx('www.a.com'))?.name, 'exact@file', 'the exact rule is longer');
    assert.equal(table.match(ctx('api.a.com'))?.name, 'wild@file');
    assert.equal(table.match(ctx('x.api.a.com'))?.name, 'deep@file');
    assert.equal(table.match(ctx('a.com')), undefined);
    assert.equal(table.match(ctx('x.b.com'))?.name, 'both@file');
    assert.equal(table.match(ctx('y.b.com'))?.name, 'both@file');
    assert.equal(table.match(ctx('b.com')), undefined);
  });

  it('indexes OR-ed hosts under each host and keeps negated hosts general', () => {
    const table = build([
      route('multi@file', 'Host(`a.com`) || Host(`b.com`)', { priority: 2 }),
      route('not-a@file', '!Host(`a.com`)', { priority: 1 }),
    ]);
    assert.equal(table.match(ctx('a.com'))?.name, 'multi@file');
    assert.equal(table.match(ctx('b.com'))?.name, 'multi@file');
    assert.equal(table.match(ctx('c.com'))?.name, 'not-a@file');
  });

  it('matches a request without host only against general routes', () => {
    const table = build([route('h@file', 'Host(`a.com`)'), route('any@file', 'Host(`*`)')]);
    assert.equal(table.match(ctx(''))?.name, 'any@file');
  });

  it('reports the literal hosts of each route', () => {
    const table = build([route('r@file', 'Host(`A.com`) && !Host(`b.com`) || Host(`*.c.com`)')]);
    assert.deepEqual(table.routes[0]?.hosts, ['a.com', '*.c.com']);
  });
});

describe('buildRouteTable: errors', () => {
  it('disables only the routes whose rule is broken', () => {
    const { table, errors } = buildRouteTable([
      route('good@file', 'Host(`a.com`)', { priority: 100 }),
      route('syntax@file', 'Host(`a.com`'),
      route('unknown@file', 'Hots(`a.com`)'),
      route('v2only@file', 'Host(`a.com`, `b.com`)'),
      route('also-good@file', 'PathPrefix(`/`)'),
    ]);
    assert.deepEqual(
      errors.map((e) => [e.name, e.error.code]),
      [
        ['syntax@file', 'RULE_SYNTAX'],
        ['unknown@file', 'RULE_SYNTAX'],
        ['v2only@file', 'RULE_SYNTAX'],
      ],
    );
    assert.match(errors[0]!.error.message, /column 13/);
    assert.deepEqual(
      table.routes.map((r) => r.entry.name),
      ['good@file', 'also-good@file'],
    );
    assert.equal(table.match(ctx('a.com'))?.name, 'good@file');
    assert.equal(table.match(ctx('b.com'))?.name, 'also-good@file');
  });

  it('compiles each route in its own syntax', () => {
    const { table, errors } = buildRouteTable(
      [route('v2@file', 'Host(`a.com`, `b.com`)', { ruleSyntax: 'v2' }), route('v3@file', 'Host(`c.com`)')],
      {},
    );
    assert.deepEqual(errors, []);
    assert.equal(table.match(ctx('b.com'))?.name, 'v2@file');
    const v2Default = buildRouteTable([route('x@file', 'Host(`a.com`, `b.com`)')], {
      defaultRuleSyntax: 'v2',
    });
    assert.deepEqual(v2Default.errors, []);
  });

  it('builds an empty table', () => {
    const { table, errors } = buildRouteTable([]);
    assert.deepEqual(errors, []);
    assert.equal(table.match(ctx('a.com')), undefined);
  });
});
