import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadBalancer } from '../../config/dynamic/index.js';
import type { HttpContext } from '../../core/http-context.js';
import { BALANCER_DEFINITIONS } from './index.js';
import type { BalancerMember } from './member.js';

interface Member extends BalancerMember {
  health: { up: boolean; inflight: number; ttfbMs: number };
}

const member = (url: string, weight: number): Member => ({
  url,
  weight,
  health: { up: true, inflight: 0, ttfbMs: 0 },
});

/** hrw hashes the client address: vary it so the split over many clients can be measured. */
const ctxFor = (i: number) =>
  ({ clientIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }) as HttpContext;

const BALANCERS = Object.fromEntries(BALANCER_DEFINITIONS.map((d) => [d.type, d.create]));

it('registers a balancer for every strategy the loadBalancer schema accepts, and no other', () => {
  const accepted = LoadBalancer.properties.strategy.anyOf.map((s: { const: string }) => s.const);
  assert.deepEqual(Object.keys(BALANCERS).sort(), [...accepted].sort());
});

for (const { type: strategy, create } of BALANCER_DEFINITIONS) {
  describe(`balancer contract: ${strategy}`, () => {
    it('splits traffic by weight within 10%', () => {
      const servers = [member('http://a', 3), member('http://b', 1), member('http://c', 0)];
      const balancer = create(servers);
      const counts = new Map<string, number>();
      const n = 8_000;
      for (let i = 0; i < n; i++) {
        const s = balancer.pick(ctxFor(i))!;
        counts.set(s.url, (counts.get(s.url) ?? 0) + 1);
      }
      const a = (counts.get('http://a') ?? 0) / n;
      assert.ok(Math.abs(a - 0.75) < 0.1, `share of a: ${a}`);
      assert.equal(counts.get('http://c'), undefined, 'weight 0 is never picked');
    });

    it('never picks a server that is down', () => {
      const servers = [member('http://a', 1), member('http://b', 5), member('http://c', 1)];
      servers[1]!.health.up = false;
      const balancer = create(servers);
      for (let i = 0; i < 2_000; i++) assert.notEqual(balancer.pick(ctxFor(i))?.url, 'http://b');
    });

    it('returns undefined with no server, or none up', () => {
      assert.equal(create([]).pick(ctxFor(1)), undefined);
      const servers = [member('http://a', 1), member('http://b', 1)];
      for (const s of servers) s.health.up = false;
      const balancer = create(servers);
      assert.equal(balancer.pick(ctxFor(1)), undefined);
      servers[0]!.health.up = true;
      assert.equal(balancer.pick(ctxFor(1))?.url, 'http://a');
    });
  });
}

describe('strategy specifics', () => {
  it('p2c prefers the server with fewer requests in flight', () => {
    const servers = [member('http://a', 1), member('http://b', 1)];
    servers[0]!.health.inflight = 10;
    const balancer = BALANCERS.p2c!(servers);
    let b = 0;
    for (let i = 0; i < 1_000; i++) if (balancer.pick(ctxFor(i))?.url === 'http://b') b++;
    assert.ok(b > 600, `b picked ${b} times`);
  });

  it('hrw keeps a client on its server and only moves the clients of a server that leaves', () => {
    const servers = [member('http://a', 1), member('http://b', 1), member('http://c', 1)];
    const balancer = BALANCERS.hrw!(servers);
    const before = Array.from({ length: 500 }, (_, i) => balancer.pick(ctxFor(i))!.url);
    for (let i = 0; i < 500; i++) assert.equal(balancer.pick(ctxFor(i))!.url, before[i]);
    servers[2]!.health.up = false;
    for (let i = 0; i < 500; i++) {
      const now = balancer.pick(ctxFor(i))!.url;
      if (before[i] !== 'http://c') assert.equal(now, before[i]);
    }
  });

  it('leasttime prefers the fastest server', () => {
    const servers = [member('http://a', 1), member('http://b', 1)];
    servers[0]!.health.ttfbMs = 50;
    servers[1]!.health.ttfbMs = 5;
    const balancer = BALANCERS.leasttime!(servers);
    for (let i = 0; i < 100; i++) assert.equal(balancer.pick(ctxFor(i))?.url, 'http://b');
  });
});
