import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, request } from '../../../test/helpers/http.js';
import { normalize } from '../../config/schema/normalize.js';
import { MetricsSchema } from '../../config/static/schema-metrics.js';
import { fakeRoute, startTestEntryPoint } from '../test-entrypoint.js';
import { escapeLabel } from './exposition.js';
import { createMetrics } from './index.js';

const config = (prometheus: object) => normalize(MetricsSchema, { prometheus }).value;

describe('prometheus metrics', () => {
  it('is off without metrics.prometheus', () => {
    assert.equal(createMetrics(undefined), undefined);
    assert.equal(createMetrics(normalize(MetricsSchema, {}).value), undefined);
  });

  it('counts requests per entrypoint, router and service with Traefik names and labels', async () => {
    const metrics = createMetrics(
      config({ addRoutersLabels: true, buckets: [0.5, 0.1], headerLabels: { tenant: 'X-Tenant' } }),
    )!;
    const ep = await startTestEntryPoint(fakeRoute(201, 'abcdef'), 'web');
    try {
      for (let i = 0; i < 3; i++) await request(ep.url('/x'), { headers: { 'x-tenant': 'acme' } });
      await eventually(() => metrics.render().includes('code="201"'));
      const text = metrics.render();
      assert.match(
        text,
        /traefik_entrypoint_requests_total\{code="201",method="GET",protocol="http",entrypoint="web",tenant="acme"\} 3/,
      );
      assert.match(
        text,
        /traefik_router_requests_total\{code="201",method="GET",protocol="http",router="r@file",service="s@file",tenant="acme"\} 3/,
      );
      assert.match(
        text,
        /traefik_service_request_duration_seconds_bucket\{code="201",method="GET",protocol="http",service="s@file",le="0.1"\} \d/,
      );
      assert.match(text, /traefik_service_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} 3/);
      assert.match(text, /traefik_service_request_duration_seconds_count\{[^}]*\} 3/);
      assert.match(text, /traefik_entrypoint_responses_bytes_total\{[^}]*\} 18/);
      assert.match(text, /# TYPE traefik_entrypoint_request_duration_seconds histogram/);
      assert.match(text, /traefik_open_connections\{entrypoint="web",protocol="TCP"\} \d/);
    } finally {
      metrics.close();
      await ep.close();
    }
  });

  it('leaves routers out by default and internal routes unless addInternals', async () => {
    const metrics = createMetrics(config({}))!;
    const ep = await startTestEntryPoint(fakeRoute(200, 'x', 'api@internal', 'api@internal'));
    try {
      await request(ep.url('/'));
      await eventually(() => metrics.render().includes('traefik_open_connections{'));
      assert.doesNotMatch(metrics.render(), /traefik_router_requests_total/);
      assert.doesNotMatch(metrics.render(), /traefik_entrypoint_requests_total\{/);
    } finally {
      metrics.close();
      await ep.close();
    }
  });

  it('reports reloads, certificates and server health from the runtime', () => {
    const metrics = createMetrics(config({}), {
      runtime: () => ({
        routers: {},
        middlewares: {},
        other: [],
        services: {
          'svc@file': {
            name: 'svc@file',
            provider: 'file',
            config: {},
            status: 'enabled',
            errors: [],
            usedBy: [],
            serverStatus: { 'http://a': 'UP', 'http://b': 'DOWN' },
          },
        },
      }),
    })!;
    metrics.onConfigApplied(true, [
      {
        commonName: 'x.test',
        serial: '01',
        names: ['x.test', 'y.test'],
        notAfter: new Date(2_000_000_000_000),
      },
    ]);
    metrics.onConfigApplied(false);
    const text = metrics.render();
    metrics.close();
    assert.match(text, /traefik_config_reloads_total 2/);
    assert.match(text, /traefik_config_reloads_failure_total 1/);
    assert.match(text, /traefik_config_last_reload_success \d{10}/);
    assert.match(
      text,
      /traefik_tls_certs_not_after\{cn="x.test",serial="1",sans="x.test,y.test"\} 2000000000/,
    );
    assert.match(text, /traefik_service_server_up\{service="svc@file",url="http:\/\/a"\} 1/);
    assert.match(text, /traefik_service_server_up\{service="svc@file",url="http:\/\/b"\} 0/);
  });

  it('serves the exposition on its handler and tells where to mount it', async () => {
    const metrics = createMetrics(config({}))!;
    assert.deepEqual(metrics.route, { entryPoint: 'traefik', rule: 'PathPrefix(`/metrics`)' });
    assert.equal(createMetrics(config({ manualRouting: true }))?.route, undefined);
    const ep = await startTestEntryPoint(metrics.handler, 'traefik');
    try {
      const res = await request(ep.url('/metrics'));
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /text\/plain; version=0.0.4/);
      assert.match(res.body, /# TYPE traefik_config_reloads_total counter/);
    } finally {
      metrics.close();
      await ep.close();
    }
  });

  it('escapes label values', () => {
    assert.equal(escapeLabel('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  });
});
