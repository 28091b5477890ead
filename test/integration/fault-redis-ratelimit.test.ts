import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, tempDir, writeFile } from '../helpers/cli.js';
import { startWithFile } from '../helpers/fault-proxy.js';
import { eventually, request } from '../helpers/http.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';

/**
 * A Redis-backed rateLimit when Redis goes down: fail-closed, as Traefik (its Redis limiter answers 500
 * when Redis cannot be asked), documented in middlewares.md. The process keeps serving other routers and
 * the limiter works again once Redis is back.
 */
describe('rateLimit with Redis: Redis down', () => {
  let redis: RedisServer;
  let backend: WhoamiServer;
  let sy: Running;

  before(async () => {
    redis = await startRedis();
    backend = await startWhoami({ name: 'limited' });
    const dynamic = writeFile(
      tempDir(),
      'dynamic.yml',
      `http:
  routers:
    limited:
      rule: "Host(\`rl.test\`)"
      middlewares: [limit]
      service: app
    free:
      rule: "Host(\`free.test\`)"
      service: app
  middlewares:
    limit:
      rateLimit:
        average: 1000
        burst: 1000
        redis:
          endpoints: ["${redis.endpoint}"]
          dialTimeout: 1s
          readTimeout: 1s
          writeTimeout: 1s
  services:
    app:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
`,
    );
    sy = await startWithFile(dynamic);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
    await redis?.destroy();
  });

  const get = (host: string) => request(sy.url('web', '/'), { headers: { host } });

  it('answers 500 while Redis is down, keeps serving other routers, recovers when Redis is back', async () => {
    assert.equal((await get('rl.test')).status, 200);
    await redis.stop();
    await eventually(async () => (await get('rl.test')).status === 500, 20_000);
    assert.equal((await get('free.test')).status, 200);
    await redis.start();
    await eventually(async () => (await get('rl.test')).status === 200, 30_000);
    assert.equal(sy.proc.exitCode, null);
  });
});
