import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { httpRequest, startBackend, startFrontend } from '../../test/helpers/backends.js';
import { eventually } from '../../test/helpers/http.js';
import type { LoadBalancer } from '../config/dynamic/index.js';
import type { BuiltService } from './contract.js';
import { failoverService } from './failover/index.js';
import { statusSet } from './failover/status-ranges.js';
import { loadBalancerService } from './loadbalancer/index.js';
import { mirroringService } from './mirroring/index.js';
import { testServiceContext } from './testing.js';
import { highestRandomWeightService, weightedService } from './weighted/index.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** A backend answering `name` (and the request body after a colon), with a settable status. */
async function named(name: string, status = { code: 200 }) {
  const bodies: string[] = [];
  const b = await startBackend((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      if (req.url === '/health') res.statusCode = status.code;
      else res.statusCode = name === 'main' && req.url?.includes('fail') ? 503 : 200;
      res.end(body ? `${name}:${body}` : name);
    });
  });
  cleanups.push(b.close);
  return Object.assign(b, { name, bodies, status });
}

function lb(config: LoadBalancer): BuiltService {
  return loadBalancerService.create(config, testServiceContext());
}

async function front(built: BuiltService) {
  const f = await startFrontend(built.handler);
  cleanups.push(f.close);
  return f;
}

const text = async (url: string, opts = {}) => (await httpRequest(url, opts)).body.toString();

describe('weighted and highestRandomWeight services', () => {
  it('splits by weight, nests, and keeps a sticky cookie per level', async () => {
    const [a, b, c] = await Promise.all([named('a'), named('b'), named('c')]);
    const children = {
      A: lb({ servers: [{ url: a.url }] }),
      inner: weightedService.create(
        {
          services: [
            { name: 'B', weight: 1 },
            { name: 'C', weight: 1 },
          ],
          sticky: { cookie: { name: 'inner' } },
        },
        testServiceContext({
          children: { B: lb({ servers: [{ url: b.url }] }), C: lb({ servers: [{ url: c.url }] }) },
        }),
      ),
    };
    const outer = weightedService.create(
      {
        services: [
          { name: 'A', weight: 2 },
          { name: 'inner', weight: 2 },
        ],
        sticky: { cookie: { name: 'outer' } },
      },
      testServiceContext({ children }),
    );
    const f = await front(outer);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(await text(f.url));
    assert.equal(seen.filter((s) => s === 'a').length, 4);
    const reply = await httpRequest(f.url);
    const cookies = (reply.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    assert.match(cookies, /outer=/);
    const first = reply.body.toString();
    for (let i = 0; i < 6; i++) assert.equal(await text(f.url, { headers: { cookie: cookies } }), first);
  });

  it('skips a child that is down when it follows health, and reports its own', async () => {
    const a = await named('a');
    const b = await named('b', { code: 200 });
    const hc = { path: '/health', interval: 20, timeout: 500 };
    const children = {
      A: lb({ servers: [{ url: a.url }], healthCheck: hc }),
      B: lb({ servers: [{ url: b.url }], healthCheck: hc }),
    };
    const w = weightedService.create(
      { services: [{ name: 'A' }, { name: 'B' }], healthCheck: {} },
      testServiceContext({ children }),
    );
    const f = await front(w);
    b.status.code = 500;
    await eventually(() => children.B.health?.up === false);
    for (let i = 0; i < 6; i++) assert.equal(await text(f.url), 'a');
    assert.equal(w.health?.up, true);
    a.status.code = 500;
    await eventually(() => w.health?.up === false);
    assert.equal((await httpRequest(f.url)).status, 503);
  });

  it('highestRandomWeight keeps a client on one service', async () => {
    const [a, b] = await Promise.all([named('a'), named('b')]);
    const children = { A: lb({ servers: [{ url: a.url }] }), B: lb({ servers: [{ url: b.url }] }) };
    const h = highestRandomWeightService.create(
      { services: [{ name: 'A' }, { name: 'B' }] },
      testServiceContext({ children }),
    );
    const f = await front(h);
    const first = await text(f.url);
    for (let i = 0; i < 5; i++) assert.equal(await text(f.url), first);
  });
});

describe('mirroring service', () => {
  it('sends the share of requests (with body) to the mirror and answers from the main service', async () => {
    const [main, mirror] = await Promise.all([named('main'), named('mirror')]);
    const children = { M: lb({ servers: [{ url: main.url }] }), X: lb({ servers: [{ url: mirror.url }] }) };
    const m = mirroringService.create(
      { service: 'M', mirrors: [{ name: 'X', percent: 50 }] },
      testServiceContext({ children }),
    );
    const f = await front(m);
    for (let i = 0; i < 10; i++) {
      assert.equal(await text(f.url, { method: 'POST', body: `b${i}` }), `main:b${i}`);
    }
    await eventually(() => mirror.bodies.length === 5);
    assert.deepEqual(mirror.bodies.slice().sort(), ['b0', 'b2', 'b4', 'b6', 'b8']);
  });

  it('skips mirrors for a body over maxBodySize, and drops the body without mirrorBody', async () => {
    const [main, mirror] = await Promise.all([named('main'), named('mirror')]);
    const children = { M: lb({ servers: [{ url: main.url }] }), X: lb({ servers: [{ url: mirror.url }] }) };
    const small = mirroringService.create(
      { service: 'M', mirrors: [{ name: 'X', percent: 100 }], maxBodySize: 4 },
      testServiceContext({ children }),
    );
    const f = await front(small);
    assert.equal(await text(f.url, { method: 'POST', body: 'too-long-body' }), 'main:too-long-body');
    const noBody = mirroringService.create(
      { service: 'M', mirrors: [{ name: 'X', percent: 100 }], mirrorBody: false },
      testServiceContext({ children }),
    );
    const g = await front(noBody);
    assert.equal(await text(g.url, { method: 'POST', body: 'xyz' }), 'main:xyz');
    await eventually(() => mirror.bodies.length === 1);
    assert.deepEqual(mirror.bodies, ['']);
  });
});

describe('failover service', () => {
  it('parses status ranges', () => {
    assert.deepEqual([...statusSet(['500-502', '504'])], [500, 501, 502, 504]);
    assert.throws(() => statusSet(['5xx']), /status/);
  });

  it('uses the fallback while the main service is down', async () => {
    const [main, spare] = await Promise.all([named('main'), named('spare')]);
    const children = {
      M: lb({ servers: [{ url: main.url }], healthCheck: { path: '/health', interval: 20, timeout: 500 } }),
      S: lb({ servers: [{ url: spare.url }] }),
    };
    const fo = failoverService.create({ service: 'M', fallback: 'S' }, testServiceContext({ children }));
    const f = await front(fo);
    assert.equal(await text(f.url), 'main');
    main.status.code = 503;
    await eventually(async () => (await text(f.url)) === 'spare');
    main.status.code = 200;
    await eventually(async () => (await text(f.url)) === 'main');
  });

  it('sends the request again to the fallback on a listed status, body included; 413 over the limit', async () => {
    const [main, spare] = await Promise.all([named('main'), named('spare')]);
    const children = { M: lb({ servers: [{ url: main.url }] }), S: lb({ servers: [{ url: spare.url }] }) };
    const fo = failoverService.create(
      { service: 'M', fallback: 'S', errors: { status: ['500-503'], maxRequestBodyBytes: 8 } },
      testServiceContext({ children }),
    );
    const f = await front(fo);
    assert.equal(await text(`${f.url}/ok`, { method: 'POST', body: 'hi' }), 'main:hi');
    const failed = await httpRequest(`${f.url}/fail`, { method: 'POST', body: 'again' });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.toString(), 'spare:again');
    assert.equal((await httpRequest(`${f.url}/fail`, { method: 'POST', body: '123456789' })).status, 413);
  });
});
