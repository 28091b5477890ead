import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_SCHEMAS } from '../config/dynamic/builtin-schemas.js';
import { HttpService } from '../config/dynamic/index.js';
import type { RuntimeElement, RuntimeService } from '../config/runtime/runtime-config.js';
import { normalize } from '../config/schema/normalize.js';
import { goDuration } from './go-duration.js';
import { presentEntryPoint, presentMiddleware, presentService } from './present.js';
import { sampleStatic } from './test-runtime.js';

const element = (name: string, config: unknown): RuntimeElement => ({
  name,
  provider: 'file',
  config,
  status: 'enabled',
  errors: [],
  usedBy: [],
});

describe('durations in the API are Go duration strings, as Traefik shows them', () => {
  it('formats like Go time.Duration.String()', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [0.0005, '500ns'],
      [0.0015, '1.5µs'],
      [100, '100ms'],
      [1.5, '1.5ms'],
      [1000, '1s'],
      [1500, '1.5s'],
      [10_000, '10s'],
      [60_000, '1m0s'],
      [90_000, '1m30s'],
      [180_000, '3m0s'],
      [3_600_000, '1h0m0s'],
      [5_430_500, '1h30m30.5s'],
      [-2000, '-2s'],
    ];
    for (const [ms, go] of cases) assert.equal(goDuration(ms), go, `${ms} ms`);
  });

  it('shows a service health check, passive check and flush interval in Go syntax', () => {
    const config = normalize(HttpService, {
      loadBalancer: {
        servers: [{ url: 'http://127.0.0.1:1' }],
        healthCheck: { path: '/health', interval: '10s', timeout: '3s' },
        passiveHealthCheck: { failureWindow: '1m30s' },
        responseForwarding: { flushInterval: '250ms' },
      },
    }).value;
    const svc = presentService({ ...element('app@file', config), serverStatus: {} } as RuntimeService);
    const lb = svc.loadBalancer as Record<string, Record<string, unknown>>;
    assert.equal(lb.healthCheck!.interval, '10s');
    assert.equal(lb.healthCheck!.timeout, '3s');
    assert.equal(lb.passiveHealthCheck!.failureWindow, '1m30s');
    assert.equal(lb.responseForwarding!.flushInterval, '250ms');
  });

  it('shows middleware durations (rateLimit period, circuitBreaker) in Go syntax', () => {
    for (const [type, options, key, want] of [
      ['rateLimit', { average: 10, period: '1m' }, 'period', '1m0s'],
      ['circuitBreaker', { expression: 'NetworkErrorRatio() > 0.5' }, 'fallbackDuration', '10s'],
    ] as const) {
      const schema = BUILTIN_SCHEMAS.middlewares.get(type)!.schema;
      const normalized = normalize(schema, options).value;
      const shown = presentMiddleware(
        element(`m@file`, { type, options: normalized }),
        BUILTIN_SCHEMAS.middlewares,
      );
      assert.equal((shown[type] as Record<string, unknown>)[key], want, type);
    }
  });

  it('shows entrypoint transport timeouts in Go syntax', () => {
    const s = sampleStatic({
      entryPoints: { web: { address: ':80', transport: { respondingTimeouts: { readTimeout: '90s' } } } },
    });
    const ep = presentEntryPoint('web', s.entryPoints.web!);
    const transport = ep.transport as Record<string, Record<string, unknown>>;
    assert.equal(transport.respondingTimeouts!.readTimeout, '1m30s');
    assert.equal(transport.respondingTimeouts!.idleTimeout, '3m0s');
    assert.equal(transport.lifeCycle!.graceTimeOut, '10s');
  });
});
