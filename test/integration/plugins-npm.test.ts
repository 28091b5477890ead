import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type Backend, startBackend } from '../helpers/backends.js';
import { REPO_ROOT, type Running, runCli, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import { startWithPlugins } from '../helpers/plugins.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'plugins-npm', 'switchyard-plugin-powered-by');

// The example package in examples/plugins-npm, packed and installed with npm into a project where
// Switchyard is installed too, declared with `package` and resolved from the configuration file's folder
// (Switchyard runs from another directory).
describe('npm package plugins through the real CLI', () => {
  let app: Backend;
  let sy: Running;
  let project: string;

  before(async () => {
    project = tempDir();
    writeFile(project, 'package.json', '{ "name": "site", "version": "1.0.0", "private": true }\n');
    const packed = tempDir();
    const npm = { cwd: project, env: { ...process.env, npm_config_update_notifier: 'false' } };
    const { stdout } = await run('npm', ['pack', EXAMPLE, '--pack-destination', packed, '--silent'], npm);
    const tarball = join(packed, stdout.trim().split('\n').at(-1)!);
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], npm);
    // Switchyard installed beside it, as `npm install switchyard` would (its files are this checkout).
    symlinkSync(REPO_ROOT, join(project, 'node_modules', 'switchyard'), 'dir');

    app = await startBackend();
    sy = await startWithPlugins({
      dir: project,
      cwd: tempDir(),
      url: app.url,
      routers: { app: 'powered' },
      middlewares: { powered: { plugin: { poweredBy: { product: 'switchyard-npm' } } } },
      localPlugins: { poweredBy: { package: 'switchyard-plugin-powered-by' } },
      api: true,
    });
  });

  after(async () => {
    await sy?.stop();
    await app?.close();
  });

  it('loads the package and runs its middleware', async () => {
    await sy.waitFor(/plugin loaded.*plugin=poweredBy.*displayName=Powered-By.*runtime=node/);
    const res = await request(sy.url('web', '/'), { headers: { host: 'app.test' } });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'ok GET /');
    assert.equal(res.headers['x-powered-by'], 'switchyard-npm');
  });

  it('shows the middleware in the API with the plugin, its runtime and its package', async () => {
    const res = await request(sy.url('traefik', '/api/http/middlewares/powered@file'));
    const mw = JSON.parse(res.body);
    assert.equal(mw.type, 'plugin');
    assert.deepEqual(mw.plugin, { poweredBy: { product: 'switchyard-npm' } });
    assert.deepEqual(mw.pluginInfo, {
      name: 'poweredBy',
      displayName: 'Powered-By',
      runtime: 'node',
      package: 'switchyard-plugin-powered-by',
    });
  });

  it('refuses a package that is not installed, saying where it looked', async () => {
    const check = await runCli(['check', '--experimental.localPlugins.x.package=switchyard-plugin-nothere'], {
      cwd: project,
    });
    assert.equal(check.code, 2);
    assert.match(
      check.stdout + check.stderr,
      /plugin "x": the package "switchyard-plugin-nothere" is not installed in a node_modules folder of .* \(run npm install switchyard-plugin-nothere there\)/,
    );
  });
});
