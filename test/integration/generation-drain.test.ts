import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';

function config(withLimit: boolean, auth: string, app: string, redis: string): string {
  const middlewares = withLimit ? '[auth, limit]' : '[auth]';
  const limit = withLimit
    ? `
    limit:
      rateLimit:
        average: 100
        burst: 100
        redis:
          endpoints: ["${redis}"]`
    : '';
  return `
http:
  routers:
    app:
      rule: "Host(\`drain.test\`)"
      middlewares: ${middlewares}
      service: app
  middlewares:
    auth:
      forwardAuth:
        address: "${auth}"${limit}
  services:
    app:
      loadBalancer:
        servers:
          - url: "${app}"
`;
}

describe('state of a draining generation', () => {
  let redis: RedisServer;
  let auth: Backend;
  let app: Backend;
  let sy: Running;
  let dir: string;
  const held: ServerResponse[] = [];
  let arrived: () => void = () => {};

  before(async () => {
    redis = await startRedis();
    // The authorization server holds the request it is asked about until the test lets it go.
    auth = await startBackend((req, res) => {
      if (req.headers['x-forwarded-uri'] !== '/held') {
        res.end();
        return;
      }
      held.push(res);
      arrived();
    });
    app = await startBackend();
    dir = tempDir();
    writeFile(dir, 'dynamic.yml', config(true, auth.url, app.url, redis.endpoint));
    sy = await startSwitchyard([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.directory=${dir}`,
      '--providers.providersThrottleDuration=20ms',
    ]);
    await sy.waitFor(/configuration applied.*generation=2\b/);
  });

  after(async () => {
    await sy?.stop();
    await auth?.close();
    await app?.close();
    await redis?.destroy();
  });

  it('keeps the Redis client of a removed rateLimit until its last request has finished', async () => {
    // A first request connects the Redis client (it connects lazily).
    assert.equal((await request(sy.url('web', '/'), { headers: { host: 'drain.test' } })).status, 200);
    const atAuth = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const pending = request(sy.url('web', '/held'), { headers: { host: 'drain.test' } });
    await atAuth;
    // The new configuration drops the rate limit while the request waits in forwardAuth, before it.
    writeFile(dir, 'dynamic.yml', config(false, auth.url, app.url, redis.endpoint));
    await sy.waitFor(/configuration applied.*generation=3\b/);
    held[0]!.end();
    const res = await pending;
    assert.equal(res.status, 200, res.body);
    assert.equal(res.body, 'ok GET /held');
  });
});
