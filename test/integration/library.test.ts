import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ConfigProvider, Logger, type Switchyard, SwitchyardError, start } from '../../src/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

const run = promisify(execFile);
const quiet = () => Logger.create({ level: 'ERROR' });

const routesTo = (url: string, extra: Record<string, unknown> = {}) => ({
  http: {
    routers: { app: { rule: 'PathPrefix(`/`)', service: 'backend' }, ...extra },
    services: { backend: { loadBalancer: { servers: [{ url }] } } },
  },
});

describe('library: import { start, ConfigProvider } from "switchyard"', () => {
  let backend: http.Server;
  let backendUrl: string;
  const arrivals: string[] = [];

  before(async () => {
    backend = http.createServer((req, res) => {
      arrivals.push(req.url!);
      const wait = /wait=(\d+)/.exec(req.url!)?.[1];
      const answer = () => res.end(`backend saw ${req.url}`);
      if (wait) setTimeout(answer, Number(wait));
      else answer();
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as net.AddressInfo).port}`;
  });
  after(() => backend.close());

  it('runs the documented example (examples/library.mjs) to the end', async () => {
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'examples', 'library.mjs')], {
      cwd: REPO_ROOT,
      timeout: 60_000,
    });
    assert.match(stdout, /hello from the backend: GET \/users/);
    assert.match(stdout, /\/healthz: 200, router health@app is enabled/);
    assert.match(stdout, /stopped\n$/);
  });

  it('serves what a code provider sets, applies changes live, and shows broken elements in runtime', async () => {
    const routes = new ConfigProvider('app');
    routes.set(routesTo(backendUrl));
    const sy = await start({
      static: {
        entryPoints: { web: { address: '127.0.0.1:0' } },
        providers: { providersThrottleDuration: '0s' },
      },
      providers: [routes],
      logger: quiet(),
    });
    try {
      await sy.configured((rt) => rt.routers['app@app']?.status === 'enabled');
      const first = await request(sy.url('web', '/x'));
      assert.equal(first.status, 200);
      assert.equal(first.body, 'backend saw /x');

      routes.set(
        routesTo(backendUrl, {
          broken: { rule: 'Path(`/b`', service: 'backend' },
          gone: { rule: 'Path(`/g`)', service: 'nowhere' },
        }),
      );
      const rt = await sy.configured((r) => r.routers['broken@app'] !== undefined);
      assert.equal(rt.routers['broken@app']!.status, 'disabled');
      assert.match(rt.routers['broken@app']!.errors.join(), /rule syntax error/);
      assert.match(rt.routers['gone@app']!.errors.join(), /service "nowhere@app" does not exist/);
      assert.equal((await request(sy.url('web', '/still'))).status, 200, 'the rest keeps serving');
      assert.ok(sy.generation >= 3);
    } finally {
      await sy.stop();
    }
  });

  it('stops gracefully: a request in flight finishes, then the port is closed', async () => {
    const routes = new ConfigProvider('drain');
    routes.set(routesTo(backendUrl));
    const sy: Switchyard = await start({
      static: {
        entryPoints: { web: { address: '127.0.0.1:0' } },
        providers: { providersThrottleDuration: 0 },
      },
      providers: [routes],
      logger: quiet(),
    });
    await sy.configured((rt) => rt.routers['app@drain']?.status === 'enabled');
    const port = sy.entryPoints.get('web')!.port;
    const arrived = once(backend, 'request');
    const inFlight = request(sy.url('web', '/slow?wait=300'));
    await arrived;
    await sy.stop();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.equal(res.body, 'backend saw /slow?wait=300');
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve('connected'));
      s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });

  it('refuses a bad static configuration with every problem, and a reserved provider name', async () => {
    await assert.rejects(
      start({
        static: { entryPoints: { web: { adress: ':1' } }, log: { level: 'LOUD' } } as never,
        logger: quiet(),
      }),
      (err: unknown) => {
        assert.ok(err instanceof SwitchyardError);
        assert.equal(err.code, 'CONFIG_INVALID');
        assert.match(err.message, /unknown key "entryPoints\.web\.adress" \(did you mean "address"\?\)/);
        assert.match(err.message, /log\.level/);
        return true;
      },
    );
    assert.throws(() => new ConfigProvider('file'), /provider name "file"/);
  });
});
