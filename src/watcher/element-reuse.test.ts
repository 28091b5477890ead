import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { MergedConfig } from './merge.js';
import { ManualProvider, recordingLogger } from './test-support.js';
import { Watcher } from './watcher.js';

let controller: AbortController;
afterEach(() => controller?.abort());

function setup() {
  controller = new AbortController();
  const provider = new ManualProvider('file');
  const seen: MergedConfig[] = [];
  const watcher = new Watcher({
    providers: [provider],
    throttleMs: 0,
    logger: recordingLogger().logger,
    onConfig: (m) => seen.push(m),
  });
  void watcher.start(controller.signal);
  return { provider, seen };
}

const router = (rule: string, extra: Record<string, unknown> = {}) => ({ rule, service: 'svc', ...extra });
const service = (url: string) => ({ loadBalancer: { servers: [{ url }] } });
const http = (routers: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  http: { routers, services: { svc: service('http://127.0.0.1:8080') }, ...more },
});

describe('Watcher: unchanged elements are reused', () => {
  it('keeps an unchanged element as the same object and applies the changed one', () => {
    const { provider, seen } = setup();
    provider.send(http({ a: router('Host(`a`)'), b: router('Host(`b`)') }));
    provider.send(http({ a: router('Host(`a`)'), b: router('Host(`b2`)'), c: router('Host(`c`)') }));
    const [first, second] = seen.map((m) => m.config.http.routers);
    assert.equal(second!['a@file'], first!['a@file'], 'the unchanged router is the previous object');
    assert.equal(second!['b@file']!.rule, 'Host(`b2`)');
    assert.equal(second!['c@file']!.service, 'svc@file');
    provider.send(http({ b: router('Host(`b2`)') }));
    assert.deepEqual(Object.keys(seen[2]!.config.http.routers), ['b@file'], 'removed routers are gone');
  });

  it('applies a changed middleware and service while the router that uses them is unchanged', () => {
    const { provider, seen } = setup();
    const routers = { a: router('Host(`a`)', { middlewares: ['strip'] }) };
    const strip = (prefix: string) => ({ strip: { stripPrefix: { prefixes: [prefix] } } });
    provider.send(http(routers, { middlewares: strip('/one') }));
    provider.send({
      http: { routers, services: { svc: service('http://127.0.0.1:9090') }, middlewares: strip('/two') },
    });
    const last = seen.at(-1)!.config.http;
    assert.deepEqual(last.middlewares['strip@file']!.options, { prefixes: ['/two'] });
    assert.equal(last.services['svc@file']!.loadBalancer!.servers![0]!.url, 'http://127.0.0.1:9090');
    assert.deepEqual(last.routers['a@file']!.middlewares, ['strip@file']);
  });

  it('keeps a broken element out with its error across unrelated changes, and takes it once fixed', () => {
    const { provider, seen } = setup();
    const broken = { service: 'svc' };
    provider.send(http({ a: router('Host(`a`)'), bad: broken }));
    provider.send(http({ a: router('Host(`a2`)'), bad: broken }));
    for (const merged of seen) {
      assert.equal(merged.config.http.routers['bad@file'], undefined);
      const issue = merged.issues.find((i) => i.element === 'http.routers.bad@file');
      assert.ok(issue, 'the broken router keeps its issue');
      assert.match(issue.message, /rule/);
    }
    provider.send(http({ a: router('Host(`a2`)'), bad: router('Host(`fixed`)') }));
    assert.equal(seen.at(-1)!.config.http.routers['bad@file']!.rule, 'Host(`fixed`)');
    assert.equal(seen.at(-1)!.issues.length, 0);
  });

  it('validates an element again when its value changes back and forth', () => {
    const { provider, seen } = setup();
    provider.send(http({ a: router('Host(`a`)') }));
    provider.send(http({ a: { service: 'svc' } }));
    provider.send(http({ a: router('Host(`a`)') }));
    assert.equal(seen[1]!.config.http.routers['a@file'], undefined);
    assert.equal(seen[2]!.config.http.routers['a@file']!.rule, 'Host(`a`)');
  });
});
