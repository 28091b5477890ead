import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuntimeConfig, RuntimeRouter } from '../config/runtime/runtime-config.js';
import { ConfigHistory } from './config-history.js';

function router(name: string, rule: string, errors: string[] = []): RuntimeRouter {
  return {
    name,
    provider: 'file',
    config: { rule, service: 's' },
    status: errors.length ? 'disabled' : 'enabled',
    errors,
    usedBy: [],
    entryPoints: ['web'],
    tls: false,
    priority: 0,
  };
}

const runtime = (...routers: RuntimeRouter[]): RuntimeConfig => ({
  routers: Object.fromEntries(routers.map((r) => [r.name, r])),
  services: {},
  middlewares: {},
  other: [],
});

describe('configuration history', () => {
  it('records each generation with what was added, changed and removed, and what failed', () => {
    const h = new ConfigHistory();
    h.record(1, runtime(router('a@file', 'Host(`a`)'), router('b@file', 'Host(`b`)')), new Date(1000));
    h.record(
      2,
      runtime(
        router('a@file', 'Host(`a2`)'),
        router('c@file', 'Host(`c`)', ['service "x@file" does not exist']),
      ),
      new Date(2000),
    );
    const [second, first] = h.entries();
    assert.deepEqual(first!.added, ['http.routers.a@file', 'http.routers.b@file']);
    assert.equal(second!.generation, 2);
    assert.equal(second!.appliedAt, new Date(2000).toISOString());
    assert.deepEqual(second!.added, ['http.routers.c@file']);
    assert.deepEqual(second!.changed, ['http.routers.a@file']);
    assert.deepEqual(second!.removed, ['http.routers.b@file']);
    assert.deepEqual(second!.failed, [
      { element: 'http.routers.c@file', errors: ['service "x@file" does not exist'] },
    ]);
  });

  it('tells a reused frozen element from a changed one, and follows an element whose status changed', () => {
    const h = new ConfigHistory();
    const same = router('a@file', 'Host(`a`)');
    Object.freeze(same.config);
    const b = router('b@file', 'Host(`b`)');
    Object.freeze(b.config);
    h.record(1, runtime(same, b));
    // `a` is the very same frozen configuration; `b` has a new one with other content.
    const b2 = router('b@file', 'Host(`b2`)');
    Object.freeze(b2.config);
    const second = h.record(2, runtime({ ...same }, b2));
    assert.deepEqual(second.changed, ['http.routers.b@file']);
    // The same frozen configuration, now disabled: a change too.
    const third = h.record(3, runtime({ ...same, status: 'disabled', errors: ['no service'] }, b2));
    assert.deepEqual(third.changed, ['http.routers.a@file']);
    assert.deepEqual(
      h.record(4, runtime({ ...same, status: 'disabled', errors: ['no service'] }, b2)).changed,
      [],
    );
  });

  it('tells elements of the same name in different kinds and sections apart', () => {
    const h = new ConfigHistory();
    const service = { ...router('a@file', 'x'), config: { loadBalancer: {} } };
    const tcp = { routers: { 'a@file': router('a@file', 'HostSNI(`*`)') }, services: {}, middlewares: {} };
    const withAll = { ...runtime(router('a@file', 'Host(`a`)')), services: { 'a@file': service }, tcp };
    assert.deepEqual(h.record(1, withAll).added, [
      'http.routers.a@file',
      'http.services.a@file',
      'tcp.routers.a@file',
    ]);
    const second = h.record(2, runtime(router('a@file', 'Host(`a`)')));
    assert.deepEqual(second.removed, ['http.services.a@file', 'tcp.routers.a@file']);
    assert.deepEqual([...second.added, ...second.changed], []);
  });

  it('keeps only the last generations', () => {
    const h = new ConfigHistory(3);
    for (let g = 1; g <= 5; g++) h.record(g, runtime());
    assert.deepEqual(
      h.entries().map((e) => e.generation),
      [5, 4, 3],
    );
  });
});
