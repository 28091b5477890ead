import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TcpMatchFacts } from './matchers.js';
import { compileTcpRule, defaultTcpPriority, TcpRouteList } from './route-table.js';

const facts = (host: string, clientIp = '10.0.0.1', alpn: string[] = []): TcpMatchFacts => ({
  host,
  clientIp,
  alpn,
});

describe('TCP rules', () => {
  it('HostSNI: exact (case-insensitive, trailing dot), one-label wildcard, catch-all', () => {
    const exact = compileTcpRule('HostSNI(`A.test.`)');
    assert.equal(exact.match(facts('a.test')), true);
    assert.equal(exact.match(facts('')), false);
    const wild = compileTcpRule('HostSNI(`*.w.test`)');
    assert.equal(wild.match(facts('x.w.test')), true);
    assert.equal(wild.match(facts('y.x.w.test')), false);
    const all = compileTcpRule('HostSNI(`*`)');
    assert.equal(all.match(facts('')), true);
    assert.equal(all.catchAll, true);
    assert.equal(wild.catchAll, false);
  });

  it('combines HostSNIRegexp, ClientIP and ALPN with &&, ||, ! and parentheses', () => {
    const r = compileTcpRule(
      '(HostSNIRegexp(`^db[0-9]+\\.test$`) && !ClientIP(`10.0.0.0/8`)) || (HostSNI(`a.test`) && ALPN(`imap`))',
    );
    assert.equal(r.match(facts('db1.test', '192.168.1.1')), true);
    assert.equal(r.match(facts('db1.test', '10.1.1.1')), false);
    assert.equal(r.match(facts('a.test', '10.1.1.1', ['h2', 'imap'])), true);
    assert.equal(r.match(facts('a.test', '10.1.1.1', ['h2'])), false);
  });

  it('v2 syntax takes several values per matcher', () => {
    const r = compileTcpRule('HostSNI(`a.test`, `b.test`) && ALPN(`x`, `y`)', 'v2');
    assert.equal(r.match(facts('b.test', '', ['y'])), true);
  });

  it('refuses unknown matchers, bad hosts and the ACME ALPN value with the column', () => {
    assert.throws(() => compileTcpRule('Host(`a.test`)'), /unknown matcher "Host" at column 1/);
    assert.throws(() => compileTcpRule('HostSNI(`a b`)'), /not a valid hostname/);
    assert.throws(() => compileTcpRule('ALPN(`acme-tls/1`)'), /not allowed/);
    assert.throws(() => compileTcpRule('ClientIP(`300.1.1.1`)'), /not an IP address or CIDR/);
  });

  it('lists the HostSNI names of a rule, the catch-all included', () => {
    assert.deepEqual(compileTcpRule('HostSNI(`*`) && ClientIP(`::1`)').hostSNIs, ['*']);
    assert.deepEqual(compileTcpRule('HostSNI(`a.test`) || HostSNI(`b.test`)').hostSNIs, ['a.test', 'b.test']);
  });
});

describe('TcpRouteList', () => {
  it('orders by priority (rule length by default, catch-all last), then provider precedence', () => {
    const list = new TcpRouteList<string>();
    const add = (name: string, rule: string, provider: string, priority = defaultTcpPriority(rule)) =>
      list.add({ name, rule: compileTcpRule(rule), priority, provider, handler: name });
    add('any', 'HostSNI(`*`)', 'file');
    add('ip', 'ClientIP(`10.0.0.0/8`)', 'file');
    add('short', 'HostSNI(`*`) && ClientIP(`10.0.0.1`)', 'file');
    add('dockerTie', 'HostSNI(`*`) && ClientIP(`10.0.0.1`)', 'docker');
    assert.equal(defaultTcpPriority('HostSNI(`*`)'), -1);
    assert.equal(list.match(facts('', '10.0.0.1'))?.handler, 'dockerTie');
    assert.equal(list.match(facts('', '10.0.0.2'))?.handler, 'ip');
    assert.equal(list.match(facts('', '192.0.2.1'))?.handler, 'any');
  });
});
