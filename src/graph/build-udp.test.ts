import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DynamicConfig, emptyDynamicConfig } from '../config/dynamic/index.js';
import { listErrors } from '../config/runtime/runtime-config.js';
import { addressProblem, buildUdp } from './build-udp.js';

function config(udp: Partial<DynamicConfig['udp']>): DynamicConfig {
  const c = emptyDynamicConfig();
  c.udp = { routers: {}, services: {}, ...udp };
  return c;
}

const lb = (...addresses: string[]) => ({
  loadBalancer: { servers: addresses.map((address) => ({ address })) },
});
const picks = (pick: () => string | undefined, n: number) => Array.from({ length: n }, () => pick());

describe('buildUdp', () => {
  it('serves a router on its entrypoints, round robin over the servers', () => {
    const { tables, runtime } = buildUdp({
      config: config({
        routers: { 'dns@file': { entryPoints: ['dns'], service: 'resolvers' } },
        services: { 'resolvers@file': lb('127.0.0.1:5301', '127.0.0.1:5302') },
      }),
      elementIssues: [],
      entryPoints: ['dns', 'syslog'],
    });
    const dns = tables.get('dns')!;
    assert.equal(dns.router, 'dns@file');
    assert.deepEqual(picks(dns.pick, 4), [
      '127.0.0.1:5301',
      '127.0.0.1:5302',
      '127.0.0.1:5301',
      '127.0.0.1:5302',
    ]);
    assert.equal(tables.get('syslog')!.router, undefined);
    assert.equal(runtime.routers['dns@file']!.status, 'enabled');
    assert.deepEqual(runtime.routers['dns@file']!.entryPoints, ['dns']);
    assert.deepEqual(runtime.services['resolvers@file']!.usedBy, ['dns@file']);
    assert.deepEqual(listErrors({ routers: {}, services: {}, middlewares: {}, other: [], udp: runtime }), []);
  });

  it('splits sessions by weight over the children of a weighted service', () => {
    const { tables, runtime } = buildUdp({
      config: config({
        routers: { 'r@file': { service: 'split' } },
        services: {
          'split@file': {
            weighted: {
              services: [
                { name: 'a', weight: 3 },
                { name: 'b', weight: 1 },
              ],
            },
          },
          'a@file': lb('10.0.0.1:53'),
          'b@file': lb('10.0.0.2:53'),
        },
      }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    const got = picks(tables.get('dns')!.pick, 8);
    assert.equal(got.filter((a) => a === '10.0.0.1:53').length, 6);
    assert.equal(got.filter((a) => a === '10.0.0.2:53').length, 2);
    // "used by" follows the weighted kind's declared references: the children are used by their parent.
    assert.deepEqual(runtime.services['split@file']!.usedBy, ['r@file']);
    assert.deepEqual(runtime.services['a@file']!.usedBy, ['split@file']);
    assert.deepEqual(runtime.services['b@file']!.usedBy, ['split@file']);
  });

  it('disables a router whose service does not exist, and a service with no kind', () => {
    const { tables, runtime } = buildUdp({
      config: config({
        routers: { 'r@file': { service: 'nope' } },
        services: { 'empty@file': {} },
      }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    assert.equal(runtime.routers['r@file']!.status, 'disabled');
    assert.deepEqual(runtime.routers['r@file']!.errors, ['the UDP service "nope@file" does not exist']);
    assert.equal(runtime.services['empty@file']!.status, 'disabled');
    assert.match(runtime.services['empty@file']!.errors[0]!, /does not have any type defined/);
    assert.equal(tables.get('dns')!.router, undefined);
    assert.equal(tables.get('dns')!.pick(), undefined);
  });

  it('disables a weighted service with a missing child, and its router', () => {
    const { runtime } = buildUdp({
      config: config({
        routers: { 'r@file': { service: 'split' } },
        services: { 'split@file': { weighted: { services: [{ name: 'ghost' }] } } },
      }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    assert.deepEqual(runtime.services['split@file']!.errors, ['the UDP service "ghost@file" does not exist']);
    assert.equal(runtime.routers['r@file']!.status, 'disabled');
  });

  it('reports a service that refers to itself instead of looping', () => {
    const { runtime } = buildUdp({
      config: config({ services: { 'loop@file': { weighted: { services: [{ name: 'loop' }] } } } }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    assert.match(runtime.services['loop@file']!.errors[0]!, /refers to itself/);
  });

  it('warns about an unknown entrypoint and disables a router with none left', () => {
    const { runtime } = buildUdp({
      config: config({
        routers: {
          'half@file': { entryPoints: ['dns', 'nope'], service: 's' },
          'none@file': { entryPoints: ['web'], service: 's' },
        },
        services: { 's@file': lb('127.0.0.1:53') },
      }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    assert.equal(runtime.routers['half@file']!.status, 'warning');
    assert.deepEqual(runtime.routers['half@file']!.errors, ['entryPoint "nope" does not exist']);
    assert.equal(runtime.routers['none@file']!.status, 'disabled');
  });

  it('serves one router per entrypoint, the last by name as Traefik, and warns on the others', () => {
    const { tables, runtime } = buildUdp({
      config: config({
        routers: { 'a@file': { service: 's' }, 'b@file': { service: 's' } },
        services: { 's@file': lb('127.0.0.1:53') },
      }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    assert.equal(tables.get('dns')!.router, 'b@file');
    assert.equal(runtime.routers['b@file']!.status, 'enabled');
    assert.equal(runtime.routers['a@file']!.status, 'warning');
    assert.match(runtime.routers['a@file']!.errors[0]!, /serves one UDP router only: "b@file"/);
  });

  it('leaves out a server with a bad address, with a warning on the service', () => {
    const { tables, runtime } = buildUdp({
      config: config({
        routers: { 'r@file': { service: 's' } },
        services: { 's@file': lb('127.0.0.1', '127.0.0.1:53') },
      }),
      elementIssues: [],
      entryPoints: ['dns'],
    });
    assert.equal(runtime.services['s@file']!.status, 'warning');
    assert.match(runtime.services['s@file']!.errors[0]!, /server "127.0.0.1": missing port/);
    assert.deepEqual(picks(tables.get('dns')!.pick, 2), ['127.0.0.1:53', '127.0.0.1:53']);
  });

  it('lists elements that failed validation as disabled, with their error', () => {
    const { runtime } = buildUdp({
      config: config({}),
      elementIssues: [
        { element: 'udp.routers.bad@file', message: 'unknown key "rule"' },
        { element: 'udp.services.s@file', message: 'a service has exactly one kind' },
        { element: 'tcp.routers.t@file', message: 'not mine' },
      ],
      entryPoints: ['dns'],
    });
    assert.equal(runtime.routers['bad@file']!.status, 'disabled');
    assert.deepEqual(runtime.routers['bad@file']!.errors, ['unknown key "rule"']);
    assert.equal(runtime.services['s@file']!.status, 'disabled');
    assert.equal(Object.keys(runtime.routers).length, 1);
  });

  it('checks server addresses as Traefik splits them', () => {
    assert.equal(addressProblem('127.0.0.1:53'), undefined);
    assert.equal(addressProblem('[::1]:53'), undefined);
    assert.equal(addressProblem('dns.internal:53'), undefined);
    assert.match(addressProblem('::1')!, /brackets/);
    assert.match(addressProblem('localhost')!, /missing port/);
    assert.match(addressProblem('127.0.0.1:x')!, /invalid port/);
    assert.match(addressProblem('::1:53')!, /brackets/);
  });
});
