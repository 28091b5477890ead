import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, request } from '../helpers/http.js';
import { startObserved } from './observability-fixture.js';

describe('Prometheus metrics through the real CLI (--metrics.prometheus)', () => {
  let env: Awaited<ReturnType<typeof startObserved>>;

  before(async () => {
    env = await startObserved(['--metrics.prometheus=true', '--metrics.prometheus.addRoutersLabels=true']);
  });
  after(() => env?.close());

  it('counts requests with Traefik names and reports reloads', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await request(env.sy.url('web', '/x'))).status, 200);
    let text = '';
    await eventually(async () => {
      text = (await request(env.sy.url('traefik', '/metrics'))).body;
      return /traefik_entrypoint_requests_total\{code="200",method="GET",protocol="http",entrypoint="web"\} 5/.test(
        text,
      );
    });
    assert.match(
      text,
      /traefik_service_requests_total\{code="200",method="GET",protocol="http",service="app@file"\} 5/,
    );
    assert.match(text, /traefik_router_requests_total\{[^}]*router="app@file",service="app@file"\} 5/);
    assert.match(text, /traefik_service_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} 5/);
    assert.match(text, /traefik_config_reloads_total [1-9]/);
    assert.match(text, /traefik_config_last_reload_success [1-9]/);
    assert.match(text, /traefik_open_connections\{entrypoint="traefik",protocol="TCP"\} [1-9]/);
    assert.match(text, /traefik_service_server_up\{service="app@file",url="http:\/\/127\.0\.0\.1:\d+"\} 1/);
  });
});
