import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { MergedConfig } from './merge.js';
import { ManualProvider, recordingLogger, settle, waitFor } from './test-support.js';
import { LARGE_CONFIG, Watcher } from './watcher.js';

const router = (service: string, extra: Record<string, unknown> = {}) => ({
  rule: 'Path(`/`)',
  service,
  ...extra,
});
const routers = (names: Record<string, unknown>) => ({ http: { routers: names } });

let controller: AbortController;
afterEach(() => controller?.abort());

function setup(throttleMs: number, names = ['file']) {
  controller = new AbortController();
  const providers = names.map((n) => new ManualProvider(n));
  const seen: MergedConfig[] = [];
  const log = recordingLogger();
  const watcher = new Watcher({ providers, throttleMs, logger: log.logger, onConfig: (m) => seen.push(m) });
  const done = watcher.start(controller.signal);
  return { providers, seen, log, watcher, done };
}

describe('Watcher: throttle', () => {
  it('applies the first event at once and the latest of a burst at the end of the window', async () => {
    const { providers, seen } = setup(50);
    const [p] = providers;
    p!.send(routers({ a: router('s') }));
    assert.equal(seen.length, 1, 'first event applied at once');
    p!.send(routers({ b: router('s') }));
    p!.send(routers({ c: router('s') }));
    p!.send(routers({ d: router('s') }));
    assert.equal(seen.length, 1, 'events inside the window wait');
    await waitFor(() => seen.length === 2);
    assert.deepEqual(Object.keys(seen[1]!.config.http.routers), ['d@file']);
    await settle(150);
    assert.equal(seen.length, 2, 'the coalesced events are applied once');
  });

  it('never loses the last event of a window, window after window', async () => {
    const { providers, seen } = setup(30);
    const [p] = providers;
    for (let i = 0; i < 5; i++) {
      p!.send(routers({ [`r${i}`]: router('s') }));
      await settle(10);
    }
    await waitFor(() => Object.keys(seen.at(-1)!.config.http.routers)[0] === 'r4@file');
    const count = seen.length;
    assert.ok(count >= 2 && count <= 5, `between 2 and 5 applications, got ${count}`);
    await settle(100);
    assert.equal(seen.length, count);
  });

  it('throttles each provider on its own', () => {
    const { providers, seen } = setup(1000, ['a', 'b']);
    providers[0]!.send(routers({ x: router('s') }));
    providers[1]!.send(routers({ y: router('s') }));
    assert.equal(seen.length, 2);
    assert.deepEqual(Object.keys(seen[1]!.config.http.routers).sort(), ['x@a', 'y@b']);
  });
});

describe('Watcher: unchanged snapshots', () => {
  it('drops a snapshot equal to the last applied one, whatever its key order', () => {
    const { providers, seen } = setup(0);
    const [p] = providers;
    p!.send({ http: { routers: { a: router('s'), b: router('t') } } });
    p!.send({ http: { routers: { b: { service: 't', rule: 'Path(`/`)' }, a: router('s') } } });
    assert.equal(seen.length, 1);
    p!.send({ http: { routers: { a: router('s') } } });
    assert.equal(seen.length, 2);
  });

  it('applies a snapshot whose configuration is unchanged but whose issues changed', () => {
    const { providers, seen } = setup(0);
    const [p] = providers;
    p!.send(routers({ a: router('s') }));
    p!.send(routers({ a: router('s') }), [{ message: 'cannot parse', source: 'a.yml:1:1' }]);
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[1]!.providerIssues, { file: [{ message: 'cannot parse', source: 'a.yml:1:1' }] });
  });

  it('does not open a throttle window for a dropped snapshot', () => {
    const { providers, seen } = setup(0);
    const [p] = providers;
    p!.send(routers({ a: router('s') }));
    p!.send(routers({ a: router('s') }));
    p!.send(routers({ b: router('s') }));
    assert.equal(seen.length, 2);
  });
});

describe('Watcher: merge', () => {
  it('merges providers under qualified names, references qualified too', () => {
    const { providers, seen } = setup(0, ['file', 'etcd']);
    providers[0]!.send({
      http: {
        routers: { api: router('api', { middlewares: ['strip', 'auth@etcd'] }) },
        middlewares: { strip: { stripPrefix: { prefixes: ['/api'] } } },
        services: { api: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } } },
      },
    });
    providers[1]!.send({ http: { middlewares: { auth: { chain: { middlewares: ['strip', 'x@file'] } } } } });
    const last = seen.at(-1)!;
    assert.equal(last.config.http.routers['api@file']?.service, 'api@file');
    assert.deepEqual(last.config.http.routers['api@file']?.middlewares, ['strip@file', 'auth@etcd']);
    assert.deepEqual(Object.keys(last.config.http.middlewares).sort(), ['auth@etcd', 'strip@file']);
    assert.deepEqual(last.config.http.middlewares['auth@etcd']?.options, {
      middlewares: ['strip@etcd', 'x@file'],
    });
    assert.ok(Object.isFrozen(last.config.http.routers['api@file']));
    assert.ok(Object.isFrozen(last.config.http.routers));
  });

  it('qualifies element issues and keeps provider issues per provider', () => {
    const { providers, seen } = setup(0, ['file', 'etcd']);
    providers[0]!.send(routers({ ok: router('s'), bad: { rule: 'Path(`/`)' } }), [
      { message: 'broken', source: 'b.yml:2:3' },
    ]);
    providers[1]!.send(routers({ other: router('s') }));
    const last = seen.at(-1)!;
    assert.deepEqual(Object.keys(last.config.http.routers).sort(), ['ok@file', 'other@etcd']);
    assert.deepEqual(last.issues, [
      { element: 'http.routers.bad@file', message: 'missing required key "service"', provider: 'file' },
    ]);
    assert.deepEqual(last.providerIssues, { file: [{ message: 'broken', source: 'b.yml:2:3' }], etcd: [] });
  });

  it('drops the default TLS options when two providers define them', () => {
    const { providers, seen } = setup(0, ['file', 'etcd']);
    providers[0]!.send({ tls: { options: { default: { sniStrict: true }, mine: {} } } });
    providers[1]!.send({ tls: { options: { default: {} } } });
    const last = seen.at(-1)!;
    assert.deepEqual(Object.keys(last.config.tls.options), ['mine@file']);
    assert.match(last.issues[0]!.message, /"default" is defined by several providers \(file, etcd\)/);
  });

  it('keeps the last configuration of a provider that fails, with the failure as an issue', async () => {
    const { providers, seen, done } = setup(0, ['file']);
    providers[0]!.send(routers({ a: router('s') }));
    providers[0]!.fail('connection lost');
    await waitFor(() => seen.length === 2);
    assert.deepEqual(Object.keys(seen[1]!.config.http.routers), ['a@file']);
    assert.deepEqual(seen[1]!.providerIssues.file, [{ message: 'provider stopped: connection lost' }]);
    controller.abort();
    await done;
  });
});

describe('Watcher: logging and lifecycle', () => {
  it('logs each problem once, not again while it persists', () => {
    const { providers, log } = setup(0);
    const [p] = providers;
    const bad = { rule: 'Path(`/`)' };
    p!.send(routers({ bad }));
    p!.send(routers({ bad, a: router('s') }));
    p!.send(routers({ bad, a: router('s'), b: router('s') }));
    const errors = log.lines.filter((l) => l.level === 'ERROR');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.msg, 'missing required key "service"');
  });

  it('rejects two providers with the same name', () => {
    const { logger } = recordingLogger();
    const providers = [new ManualProvider('file'), new ManualProvider('file')];
    assert.throws(
      () => new Watcher({ providers, throttleMs: 0, logger, onConfig: () => {} }),
      /configured twice/,
    );
  });

  it('stops applying events once the signal aborts, and start() resolves', async () => {
    const { providers, seen, done } = setup(50);
    providers[0]!.send(routers({ a: router('s') }));
    providers[0]!.send(routers({ b: router('s') }));
    controller.abort();
    await done;
    await settle(100);
    assert.equal(seen.length, 1);
  });

  it('survives an onConfig that throws', () => {
    controller = new AbortController();
    const p = new ManualProvider('file');
    const { logger, lines } = recordingLogger();
    const watcher = new Watcher({
      providers: [p],
      throttleMs: 0,
      logger,
      onConfig: () => {
        throw new Error('boom');
      },
    });
    void watcher.start(controller.signal);
    p.send(routers({ a: router('s') }));
    assert.ok(
      lines.some((l) => l.level === 'ERROR' && l.msg.includes('applying the new configuration failed')),
    );
    assert.deepEqual(Object.keys(watcher.current().config.http.routers), ['a@file']);
  });
});

describe('Watcher: provider issues that name an element', () => {
  it('become that element’s issue, qualified by the provider; the others stay source problems', () => {
    const { providers, seen } = setup(0);
    providers[0]!.send(routers({ ok: router('s') }), [
      {
        message: 'frontends.typo: unknown v1 rule matcher',
        source: 'rules.toml',
        element: 'http.routers.typo',
      },
      { message: 'cannot read x', source: 'x.toml' },
    ]);
    const merged = seen.at(-1)!;
    assert.deepEqual(
      merged.issues.map((i) => [i.element, i.message]),
      [['http.routers.typo@file', 'frontends.typo: unknown v1 rule matcher']],
    );
    assert.deepEqual(
      merged.providerIssues.file!.map((i) => i.message),
      ['cannot read x'],
    );
  });
});

describe('Watcher: large configurations', () => {
  const many = (prefix: string) =>
    routers(
      Object.fromEntries(Array.from({ length: LARGE_CONFIG }, (_, i) => [`${prefix}${i}`, router('s')])),
    );

  it('hands a large configuration over in a task of its own, and a later small one never overtakes it', async () => {
    const { providers, seen } = setup(0, ['file', 'etcd']);
    providers[0]!.send(many('r'));
    assert.equal(seen.length, 0, 'not handed over in the task that validated it');
    providers[1]!.send(routers({ small: router('s') }));
    assert.equal(seen.length, 0, 'the small one waits behind the large one');
    await waitFor(() => seen.length === 1);
    const routersOf = Object.keys(seen[0]!.config.http.routers);
    assert.equal(routersOf.length, LARGE_CONFIG + 1);
    assert.ok(routersOf.includes('small@etcd') && routersOf.includes('r0@file'));
    // Nothing waits any more: a small change is handed over at once again.
    providers[1]!.send(routers({ other: router('s') }));
    assert.equal(seen.length, 2);
    assert.ok(Object.keys(seen[1]!.config.http.routers).includes('other@etcd'));
  });

  it('does not hand a large configuration over once stopped', async () => {
    const { providers, seen } = setup(0);
    providers[0]!.send(many('r'));
    controller.abort();
    // The hand-over was queued first, so it has run (and given up) when this turn comes.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seen.length, 0);
  });
});
