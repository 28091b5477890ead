import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpContext } from '../../core/http-context.js';
import type { HostIndexKeys } from '../../rules/index.js';
import { HostIndex } from './host-index.js';
import { buildRouteTable, type RouteEntry } from './route-table.js';

const HOSTS = 10_000;

/** A context whose routing fields count how often they are read. */
function countingContext(
  host: string,
  path: string,
): { ctx: HttpContext; reads: { host: number; path: number } } {
  const reads = { host: 0, path: 0 };
  const ctx = {
    req: { method: 'GET', headers: {}, rawHeaders: [] },
    get host() {
      reads.host++;
      return host;
    },
    get path() {
      reads.path++;
      return path;
    },
    rawQuery: '',
    clientIp: '127.0.0.1',
  } as unknown as HttpContext;
  return { ctx, reads };
}

const exact = (...hosts: string[]): HostIndexKeys => ({ exact: hosts, wildcard: [], deepWildcard: [] });

describe('HostIndex', () => {
  it('evaluates only the request host routes and the general routes, in rank order', () => {
    const index = new HostIndex<string>();
    const evaluated: string[] = [];
    const add = (rank: number, name: string, keys: HostIndexKeys | undefined, result: boolean): void => {
      const predicate = (): boolean => {
        evaluated.push(name);
        return result;
      };
      index.add({ rank, predicate, entry: name }, keys);
    };
    add(0, 'other-host', exact('b.com'), true);
    add(1, 'general-1', undefined, false);
    add(2, 'host-1', exact('a.com'), false);
    add(3, 'wild', { exact: [], wildcard: ['a.com'], deepWildcard: [] }, false);
    add(4, 'general-2', undefined, false);
    add(5, 'host-2', exact('a.com', 'c.com'), true);
    add(6, 'general-3', undefined, true);
    const { ctx } = countingContext('a.com', '/');
    assert.equal(index.match(ctx), 'host-2');
    assert.deepEqual(evaluated, ['general-1', 'host-1', 'general-2', 'host-2']);

    evaluated.length = 0;
    assert.equal(index.match(countingContext('x.a.com', '/').ctx), 'general-3');
    assert.deepEqual(evaluated, ['general-1', 'wild', 'general-2', 'general-3']);
  });

  it('evaluates a route listed under a host and a wildcard parent once', () => {
    const index = new HostIndex<string>();
    let calls = 0;
    const keys: HostIndexKeys = { exact: ['x.a.com'], wildcard: ['a.com'], deepWildcard: ['a.com'] };
    index.add({ rank: 0, predicate: () => ++calls > 99, entry: 'r' }, keys);
    assert.equal(index.match(countingContext('x.a.com', '/').ctx), undefined);
    assert.equal(calls, 1);
  });
});

describe('route table with 10,000 host routes', () => {
  const routes: RouteEntry<number>[] = [];
  for (let i = 0; i < HOSTS; i++) {
    routes.push({
      name: `site-${i}@file`,
      rule: `Host(\`site-${i}.example.com\`) && PathPrefix(\`/\`)`,
      handler: i,
    });
  }
  routes.push({ name: 'api@file', rule: 'PathPrefix(`/api`)', priority: 1_000, handler: -1 });
  routes.push({ name: 'wild@file', rule: 'Host(`*.example.org`)', handler: -2 });
  routes.push({ name: 'fallback@file', rule: 'PathPrefix(`/`)', priority: -1, handler: -3 });
  const { table, errors } = buildRouteTable(routes);

  it('builds every route', () => {
    assert.deepEqual(errors, []);
    assert.equal(table.routes.length, HOSTS + 3);
  });

  it('evaluates a handful of predicates for a host route, not thousands', () => {
    const { ctx, reads } = countingContext('site-7777.example.com', '/home');
    assert.equal(table.match(ctx)?.handler, 7777);
    // One host read by the index lookup, one by the route's Host matcher; one path read by the general
    // `/api` route and one by the route's PathPrefix.
    assert.deepEqual(reads, { host: 2, path: 2 });
  });

  it('still honours a higher-priority general route', () => {
    const { ctx, reads } = countingContext('site-42.example.com', '/api/x');
    assert.equal(table.match(ctx)?.handler, -1);
    assert.deepEqual(reads, { host: 1, path: 1 });
  });

  it('falls through to general routes for unknown hosts without touching host routes', () => {
    const { ctx, reads } = countingContext('unknown.example.net', '/home');
    assert.equal(table.match(ctx)?.handler, -3);
    assert.deepEqual(reads, { host: 1, path: 2 });
  });

  it('finds wildcard routes through the parent domain', () => {
    const { ctx, reads } = countingContext('www.example.org', '/home');
    assert.equal(table.match(ctx)?.handler, -2);
    assert.ok(reads.host + reads.path <= 4, JSON.stringify(reads));
  });
});
