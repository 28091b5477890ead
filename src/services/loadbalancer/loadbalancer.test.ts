import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Backend, httpRequest, startBackend, startFrontend } from '../../../test/helpers/backends.js';
import type { LoadBalancer, ServersTransport } from '../../config/dynamic/index.js';
import { SwitchyardError } from '../../core/errors.js';
import { Logger } from '../../core/logger.js';
import type { ServiceBuildContext } from '../contract.js';
import { builtinBalancers, builtinServices } from '../registry.js';
import { loadBalancerService } from './index.js';
import { stickyCookieName, stickyCookieValue } from './sticky.js';

let generation = 6000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function buildContext(name = 'svc@file'): ServiceBuildContext {
  const transports: Record<string, ServersTransport> = { 'default@internal': {} };
  return {
    name,
    provider: 'file',
    logger: Logger.create({ level: 'ERROR' }),
    signal: new AbortController().signal,
    generation: generation++,
    transport: (n) => ({ name: n ?? 'default@internal', config: transports[n ?? 'default@internal'] ?? {} }),
    serviceHealth: () => undefined,
    balancers: builtinBalancers(),
    service: () => {
      throw new SwitchyardError('CONFIG_REFERENCE', 'no services here');
    },
  };
}

/** Backends answering with their own name. */
async function named(...names: string[]): Promise<(Backend & { name: string })[]> {
  return Promise.all(
    names.map(async (name) => {
      const b = await startBackend((_req, res) => res.end(name));
      cleanups.push(b.close);
      return Object.assign(b, { name });
    }),
  );
}

async function serve(config: LoadBalancer, name?: string) {
  const built = loadBalancerService.create(config, buildContext(name));
  const front = await startFrontend(built.handler);
  cleanups.push(front.close);
  return { front, built };
}

describe('loadBalancer service', () => {
  it('is registered under its Traefik key', () => {
    assert.equal(builtinServices().get('loadbalancer'), loadBalancerService);
  });

  it('spreads requests by weight and records the server URL', async () => {
    const [a, b] = await named('a', 'b');
    const { front } = await serve({
      servers: [
        { url: a!.url, weight: 3 },
        { url: b!.url, weight: 1 },
        { url: a!.url.replace('127.0.0.1', 'localhost'), weight: 0 },
      ],
    });
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push((await httpRequest(front.url)).body.toString());
    assert.deepEqual(seen.filter((s) => s === 'a').length, 6);
    assert.deepEqual(seen.filter((s) => s === 'b').length, 2);
    assert.equal(front.contexts[0]!.serverUrl, a!.url);
  });

  it('answers 503 "no available server" without servers', async () => {
    const { front, built } = await serve({ servers: [] });
    const reply = await httpRequest(front.url);
    assert.equal(reply.status, 503);
    assert.equal(reply.body.toString(), 'no available server\n');
    assert.deepEqual(built.serverStatus(), {});
  });

  it('reports every server UP, weight 0 included', async () => {
    const { built } = await serve({
      servers: [{ url: 'http://10.0.0.1' }, { url: 'http://10.0.0.2', weight: 0 }],
    });
    assert.deepEqual(built.serverStatus(), { 'http://10.0.0.1': 'UP', 'http://10.0.0.2': 'UP' });
  });

  it('rejects a bad server URL at build time, naming it', () => {
    assert.throws(
      () =>
        loadBalancerService.create(
          { servers: [{ url: 'http://ok' }, { url: 'ftp://nope:81' }] },
          buildContext(),
        ),
      (err: unknown) =>
        err instanceof SwitchyardError &&
        err.code === 'CONFIG_INVALID' &&
        err.message.includes('ftp://nope:81'),
    );
  });

  it('sets a sticky cookie and keeps the client on its server', async () => {
    const [a, b] = await named('a', 'b');
    const { front } = await serve(
      { servers: [{ url: a!.url }, { url: b!.url }], sticky: { cookie: {} } },
      'sticky@file',
    );
    const name = stickyCookieName(undefined, 'sticky@file');
    const first = await httpRequest(front.url);
    const cookie = String(first.headers['set-cookie']);
    const server = first.body.toString() === 'a' ? a! : b!;
    assert.equal(cookie, `${name}=${stickyCookieValue(server.url)}; Path=/`);
    for (let i = 0; i < 4; i++) {
      const again = await httpRequest(front.url, {
        headers: { cookie: `${name}=${stickyCookieValue(server.url)}` },
      });
      assert.equal(again.body.toString(), server.name);
      assert.equal(again.headers['set-cookie'], undefined, 'a valid cookie is not rewritten');
    }
  });

  it('re-picks and rewrites the cookie when it names an unknown server, and upgrades legacy values', async () => {
    const [a] = await named('a');
    const { front } = await serve({
      servers: [{ url: a!.url }],
      sticky: { cookie: { name: 'lb', httpOnly: true } },
    });
    const gone = await httpRequest(front.url, {
      headers: { cookie: `lb=${stickyCookieValue('http://gone:80')}` },
    });
    assert.equal(gone.body.toString(), 'a');
    assert.equal(String(gone.headers['set-cookie']), `lb=${stickyCookieValue(a!.url)}; Path=/; HttpOnly`);
    const legacy = await httpRequest(front.url, { headers: { cookie: `lb=${a!.url}` } });
    assert.equal(legacy.body.toString(), 'a');
    assert.equal(String(legacy.headers['set-cookie']), `lb=${stickyCookieValue(a!.url)}; Path=/; HttpOnly`);
  });

  it('passes the host header through or not, as configured', async () => {
    const [a] = await named('a');
    const { front } = await serve({ servers: [{ url: a!.url }], passHostHeader: false });
    await httpRequest(front.url, { headers: { host: 'public.example' } });
    assert.equal(a!.requests[0]!.headers.host, `127.0.0.1:${a!.port}`);
  });
});
