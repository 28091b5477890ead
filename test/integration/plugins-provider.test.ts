import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { REPO_ROOT, type Running, runCli, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

// The example provider plugin in examples/plugins-local/src/fixed-routes, loaded by the real CLI run from
// examples/: it registers in the provider registry and is enabled by providers.plugin.<name>.
describe('provider plugins through the real CLI', () => {
  let app: Backend;
  let sy: Running;

  const staticConfig = (providers: string) =>
    writeFile(
      tempDir(),
      'switchyard.yml',
      `entryPoints:
  web:
    address: "127.0.0.1:0"
  traefik:
    address: "127.0.0.1:0"
api:
  insecure: true
providers:
${providers}
experimental:
  localPlugins:
    fixedroutes:
      moduleName: fixed-routes
`,
    );

  before(async () => {
    app = await startBackend((_req, res) => res.end('from the plugin route'));
    const config = staticConfig(`  plugin:
    fixedroutes:
      host: fixed.test
      url: "${app.url}"`);
    sy = await startSwitchyard([`--configFile=${config}`], {
      expectEntryPoints: ['web', 'traefik'],
      cwd: EXAMPLES,
    });
    await sy.waitFor(/routes provided.*plugin=fixedroutes/);
  });

  after(async () => {
    await sy?.stop();
    await app?.close();
  });

  it('routes what the plugin provides, named after the plugin', async () => {
    await sy.waitFor(/configuration applied/);
    const res = await request(sy.url('web', '/'), { headers: { host: 'fixed.test' } });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'from the plugin route');
    const routers = JSON.parse((await request(sy.url('traefik', '/api/http/routers'))).body) as {
      name: string;
      provider: string;
    }[];
    assert.deepEqual(
      routers.filter((r) => r.provider === 'plugin-fixedroutes').map((r) => r.name),
      ['fixed@plugin-fixedroutes'],
    );
  });

  it('refuses to start when the plugin options do not fit its schema, or the plugin is not loaded', async () => {
    const bad = staticConfig('  plugin:\n    fixedroutes:\n      host: fixed.test\n      uri: http://x\n');
    const wrong = await runCli([`--configFile=${bad}`], { cwd: EXAMPLES });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr + wrong.stdout, /providers\.plugin\.fixedroutes: .*uri.*/);
    const missing = staticConfig('  plugin:\n    nothere:\n      a: 1\n');
    const absent = await runCli([`--configFile=${missing}`], { cwd: EXAMPLES });
    assert.notEqual(absent.code, 0);
    assert.match(absent.stderr + absent.stdout, /no provider plugin "nothere" is loaded/);
  });
});
