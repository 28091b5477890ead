import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { REPO_ROOT, type Running, runCli, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import { sameNames, startWithPlugins } from '../helpers/plugins.js';

// The example plugin in examples/plugins-local/src/stamp, loaded by the real CLI run from examples/.
describe('local plugins through the real CLI', () => {
  let app: Backend;
  let sy: Running;

  before(async () => {
    app = await startBackend((req, res) => res.end(`stamp seen: ${req.headers['x-stamp'] ?? 'none'}`));
    sy = await startWithPlugins({
      dir: tempDir(),
      cwd: join(REPO_ROOT, 'examples'),
      url: app.url,
      routers: sameNames(['ok', 'throws', 'rejects']),
      middlewares: {
        ok: { plugin: { stamp: { value: 'from-plugin', responseHeader: 'X-Stamped-By' } } },
        throws: { plugin: { stamp: { value: 'x', fail: 'throw' } } },
        rejects: { plugin: { stamp: { value: 'x', fail: 'reject' } } },
      },
      localPlugins: { stamp: { moduleName: 'stamp' } },
    });
  });

  after(async () => {
    await sy?.stop();
    await app?.close();
  });

  it('logs the plugin it loaded', async () => {
    await sy.waitFor(/plugin loaded.*plugin=stamp.*runtime=node/);
  });

  it('runs the plugin: the backend sees its request header, the client its response header', async () => {
    const res = await request(sy.url('web', '/'), { headers: { host: 'ok.test' } });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'stamp seen: from-plugin');
    assert.equal(res.headers['x-stamped-by'], 'from-plugin');
  });

  for (const kind of ['throws', 'rejects']) {
    it(`answers 500 when the plugin ${kind}, logs it in the plugin's name and keeps serving`, async () => {
      const res = await request(sy.url('web', '/'), { headers: { host: `${kind}.test` } });
      assert.equal(res.status, 500);
      assert.equal(res.body, 'Internal Server Error\n');
      await sy.waitFor(new RegExp(`request handler failed(?=.*plugin=stamp)(?=.*middleware=${kind}@file)`));
      assert.equal(app.requests.filter((r) => r.headers.host === `${kind}.test`).length, 0);
      const after = await request(sy.url('web', '/'), { headers: { host: 'ok.test' } });
      assert.equal(after.status, 200);
      assert.equal(after.body, 'stamp seen: from-plugin');
    });
  }

  it('refuses to start with a Go (yaegi) plugin, saying why', async () => {
    const cwd = tempDir();
    const plugin = join(cwd, 'plugins-local', 'src', 'github.com', 'me', 'demo');
    mkdirSync(plugin, { recursive: true });
    writeFile(plugin, '.traefik.yml', 'displayName: Demo\ntype: middleware\nimport: github.com/me/demo\n');
    const result = await runCli(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--experimental.localPlugins.demo.moduleName=github.com/me/demo',
      ],
      { cwd },
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /plugin "demo": its runtime is "yaegi".*"node" runtime/);
    const check = await runCli(['check', '--experimental.localPlugins.demo.moduleName=github.com/me/demo'], {
      cwd,
    });
    assert.equal(check.code, 2);
    assert.match(check.stdout + check.stderr, /plugin "demo": its runtime is "yaegi"/);
  });

  it('refuses plugins from the online catalogue, saying why', async () => {
    const result = await runCli(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--experimental.plugins.demo.moduleName=github.com/traefik/plugindemo',
        '--experimental.plugins.demo.version=v0.2.1',
      ],
      { cwd: tempDir() },
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /plugin "demo": .*online catalogue/);
  });
});
