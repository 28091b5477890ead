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

/** A small running configuration: two routers (one broken), services with server status, middlewares. */
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
  };
}

/** A normalized static configuration from a plain object. */
export function sampleStatic(input: object = {}): StaticConfig {
  return normalize(staticSchema, {
    entryPoints: { web: { address: ':80' }, traefik: { address: ':8080' } },
    api: { insecure: true },
    providers: { file: { filename: 'x.yml' } },
    ...input,
  }).value as StaticConfig;
}
