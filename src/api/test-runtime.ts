import type { RuntimeConfig, RuntimeElement } from '../config/runtime/runtime-config.js';
import { normalize } from '../config/schema/normalize.js';
import { type StaticConfig, staticSchema } from '../config/static/index.js';

const el = (
  name: string,
  config: unknown,
  status: RuntimeElement['status'] = 'enabled',
  errors: string[] = [],
) => ({
  name,
  provider: name.split('@')[1] ?? 'file',
  config,
  status,
  errors,
  usedBy: [] as string[],
});

/**
 * A small running configuration: three HTTP routers (one broken, one warning), services with server status,
 * middlewares; two TCP routers with a service and a middleware; two UDP routers (one warning) and two UDP
 * services (one broken).
 */
export function sampleRuntime(): RuntimeConfig {
  return {
    routers: {
      'web@file': {
        ...el('web@file', { rule: 'Host(`web.test`)', service: 'app', middlewares: ['strip', 'auth'] }),
        entryPoints: ['web'],
        tls: false,
        priority: 0,
      },
      'broken@file': {
        ...el('broken@file', { rule: 'Host(`b.test`)', service: 'missing' }, 'disabled', [
          'service "missing@file" does not exist',
        ]),
        entryPoints: ['web'],
        tls: false,
        priority: 0,
      },
      'alpha@docker': {
        ...el('alpha@docker', { rule: 'PathPrefix(`/a`)', service: 'app@file' }, 'warning', [
          'entryPoint "x" does not exist',
        ]),
        entryPoints: ['web'],
        tls: true,
        priority: 5,
      },
    },
    services: {
      'app@file': {
        ...el('app@file', {
          loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }, { url: 'http://127.0.0.1:2' }] },
        }),
        usedBy: ['web@file', 'alpha@docker'],
        serverStatus: { 'http://127.0.0.1:1': 'UP', 'http://127.0.0.1:2': 'DOWN' },
      },
    },
    middlewares: {
      'strip@file': {
        ...el('strip@file', { type: 'stripPrefix', options: { prefixes: ['/api'] } }),
        usedBy: ['web@file'],
      },
      'auth@file': {
        ...el('auth@file', { type: 'testSecret', options: { user: 'bob', token: 'hunter2' } }),
        usedBy: ['web@file'],
      },
    },
    other: [],
    tcp: {
      routers: {
        'db@file': {
          ...el('db@file', { rule: 'HostSNI(`*`)', service: 'pg', middlewares: ['allow'] }),
          entryPoints: ['pg'],
          tls: false,
          priority: 0,
        },
        'pass@file': {
          ...el('pass@file', { rule: 'HostSNI(`db.test`)', service: 'pg', tls: { passthrough: true } }),
          entryPoints: ['pg'],
          tls: true,
          priority: 0,
        },
      },
      services: {
        'pg@file': {
          ...el('pg@file', { loadBalancer: { servers: [{ address: '127.0.0.1:5432' }] } }),
          usedBy: ['db@file', 'pass@file'],
          serverStatus: { '127.0.0.1:5432': 'UP' },
        },
      },
      middlewares: {
        'allow@file': {
          ...el('allow@file', { type: 'ipAllowList', options: { sourceRange: ['127.0.0.1/32'] } }),
          usedBy: ['db@file'],
        },
      },
    },
    udp: {
      routers: {
        'dns@file': {
          ...el('dns@file', { service: 'resolvers' }),
          entryPoints: ['dns'],
          tls: false,
          priority: 0,
        },
        'extra@file': {
          ...el('extra@file', { service: 'resolvers' }, 'warning', [
            'entryPoint "dns" serves one UDP router only: "dns@file" serves it, this router does not',
          ]),
          entryPoints: ['dns'],
          tls: false,
          priority: 0,
        },
      },
      services: {
        'resolvers@file': {
          ...el('resolvers@file', {
            loadBalancer: { servers: [{ address: '127.0.0.1:5301' }, { address: '127.0.0.1:5302' }] },
          }),
          usedBy: ['dns@file', 'extra@file'],
        },
        'ghost@file': {
          ...el('ghost@file', { weighted: { services: [{ name: 'nope', weight: 1 }] } }, 'disabled', [
            'the UDP service "nope@file" does not exist',
          ]),
        },
      },
    },
  };
}

/** A normalized static configuration from a plain object. */
export function sampleStatic(input: object = {}): StaticConfig {
  return normalize(staticSchema, {
    entryPoints: {
      web: { address: ':80' },
      traefik: { address: ':8080' },
      pg: { address: ':5432' },
      dns: { address: ':53/udp' },
    },
    api: { insecure: true },
    providers: { file: { filename: 'x.yml' } },
    ...input,
  }).value as StaticConfig;
}
