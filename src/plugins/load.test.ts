import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BUILTIN_SCHEMAS } from '../config/dynamic/builtin-schemas.js';
import { validateDynamic } from '../config/dynamic/validate.js';
import { SwitchyardError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { Registry } from '../core/registry.js';
import type { MiddlewareDefinition } from '../middlewares/contract.js';
import type { ProviderDefinition } from '../providers/contract.js';
import { qualifyConfig } from '../watcher/qualify-refs.js';
import { loadPlugins } from './load.js';

const typebox = pathToFileURL(createRequire(import.meta.url).resolve('@sinclair/typebox')).href;

/** A working directory with `plugins-local/src/<module>/` holding `files`. */
function workdir(module: string, files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'switchyard-plugins-'));
  const dir = join(cwd, 'plugins-local', 'src', module);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return cwd;
}

const NODE_MANIFEST = 'displayName: Greet\ntype: middleware\nruntime: node\nimport: main.mjs\n';
const GREET = `import { Type } from '${typebox}';
export default {
  type: 'greet',
  schema: Type.Object({ greeting: Type.String(), times: Type.Integer({ default: 1 }) }, { additionalProperties: false }),
  create: (options) => (next) => (ctx) => next(ctx),
};
`;

const fresh = () => new Registry<MiddlewareDefinition>('middleware');
const local = (moduleName: string) => ({ localPlugins: { greet: { moduleName } } }) as never;

async function refusal(experimental: unknown, cwd: string): Promise<string> {
  const err = await loadPlugins(experimental as never, cwd, fresh()).then(
    () => assert.fail('the plugin loaded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SwitchyardError, String(err));
  assert.equal(err.code, 'CONFIG_INVALID');
  return err.message;
}

describe('local plugins', () => {
  it('registers a node plugin whose options validate like a built-in middleware', async () => {
    const cwd = workdir('github.com/me/greet', { '.traefik.yml': NODE_MANIFEST, 'main.mjs': GREET });
    const registry = fresh();
    const loaded = await loadPlugins(local('github.com/me/greet'), cwd, registry);
    assert.deepEqual(
      loaded.map((p) => [p.name, p.displayName, p.runtime]),
      [['greet', 'Greet', 'node']],
    );
    const good = validateDynamic(
      { http: { middlewares: { hi: { plugin: { greet: { greeting: 'hello' } } } } } },
      { provider: 'file', middlewares: registry },
    );
    assert.deepEqual(good.issues, []);
    assert.deepEqual(good.config.http.middlewares.hi, {
      type: 'plugin.greet',
      options: { greeting: 'hello', times: 1 },
    });
    const bad = validateDynamic(
      { http: { middlewares: { hi: { plugin: { greet: { greting: 'hello' } } } } } },
      { provider: 'file', middlewares: registry },
    );
    const messages = bad.issues.map((i) => i.message).join('\n');
    assert.match(messages, /unknown key .*greting.*did you mean "greeting"/);
    assert.match(messages, /missing required key "greeting"/);
    assert.equal(bad.config.http.middlewares.hi, undefined);
    const unknown = validateDynamic(
      { http: { middlewares: { hi: { plugin: { gret: {} } } } } },
      { provider: 'file', middlewares: registry },
    );
    assert.match(
      unknown.issues[0]!.message,
      /unknown plugin "gret" \(did you mean "greet"\?\).*localPlugins/,
    );
  });

  it('uses the package main when the manifest has no import', async () => {
    const cwd = workdir('greet', {
      '.traefik.yml': 'displayName: Greet\nruntime: node\n',
      'package.json': '{"main": "lib.mjs"}',
      'lib.mjs': GREET,
    });
    const registry = fresh();
    await loadPlugins(local('greet'), cwd, registry);
    assert.ok(registry.get('plugin.greet'));
  });

  it('refuses Go (yaegi) plugins, the default runtime, pointing to the node runtime', async () => {
    const cwd = workdir('greet', { '.traefik.yml': 'displayName: Greet\nimport: github.com/me/greet\n' });
    assert.match(
      await refusal(local('greet'), cwd),
      /plugin "greet": .*"yaegi".*cannot run.*"wasm" runtime.*"node" runtime/,
    );
  });

  it('refuses the online catalogue, and a wasm plugin without its module', async () => {
    const cwd = workdir('greet', { '.traefik.yml': 'displayName: Greet\nruntime: wasm\n' });
    assert.match(await refusal(local('greet'), cwd), /cannot read its WebAssembly module .*plugin\.wasm/);
    const catalogue = {
      plugins: { demo: { moduleName: 'github.com/traefik/plugindemo', version: 'v0.2.1' } },
    };
    assert.match(await refusal(catalogue, cwd), /plugin "demo": .*online catalogue.*localPlugins/);
  });

  it('refuses a plugin declared with both or neither of moduleName and package', async () => {
    const cwd = workdir('greet', { '.traefik.yml': NODE_MANIFEST, 'main.mjs': GREET });
    const both = { localPlugins: { greet: { moduleName: 'greet', package: 'greet' } } };
    assert.match(await refusal(both, cwd), /plugin "greet": give either moduleName .* or package/);
    assert.match(await refusal({ localPlugins: { greet: {} } }, cwd), /give either moduleName/);
    const missing = { localPlugins: { greet: { package: '@acme/nothere' } } };
    assert.match(
      await refusal(missing, cwd),
      /the package "@acme\/nothere" is not installed in a node_modules folder/,
    );
  });

  it('refuses a missing folder, a broken manifest and a module without a definition', async () => {
    const cwd = workdir('greet', { '.traefik.yml': NODE_MANIFEST, 'main.mjs': 'export default 42;\n' });
    assert.match(await refusal(local('nothere'), cwd), /folder .*nothere does not exist/);
    assert.match(await refusal(local('greet'), cwd), /must export .*middleware definition/);
    const noName = workdir('greet', { '.traefik.yml': 'runtime: node\n' });
    assert.match(await refusal(local('greet'), noName), /manifest .* is invalid:[\s\S]*displayName/);
    const throwing = workdir('greet', {
      '.traefik.yml': NODE_MANIFEST,
      'main.mjs': 'throw new Error("boom");\n',
    });
    assert.match(await refusal(local('greet'), throwing), /cannot load .*main\.mjs: boom/);
    const escaping = workdir('greet', {
      '.traefik.yml': 'displayName: G\nruntime: node\nimport: ../../x.mjs\n',
    });
    assert.match(await refusal(local('greet'), escaping), /import key points outside the plugin folder/);
  });

  it('keeps the references a plugin declares, so its service names get qualified', async () => {
    const routing = GREET.replace(
      'create:',
      "refs: [{ path: ['fallback'], to: 'service' }],\n  create:",
    ).replace('greeting: Type.String(),', 'greeting: Type.String(), fallback: Type.String(),');
    const cwd = workdir('greet', { '.traefik.yml': NODE_MANIFEST, 'main.mjs': routing });
    const registry = fresh();
    await loadPlugins(local('greet'), cwd, registry);
    const schemas = { ...BUILTIN_SCHEMAS, middlewares: registry };
    const { config, issues } = validateDynamic(
      { http: { middlewares: { hi: { plugin: { greet: { greeting: 'hi', fallback: 'spare' } } } } } },
      { provider: 'file', middlewares: registry },
    );
    assert.deepEqual(issues, []);
    const qualified = qualifyConfig(config, 'docker', schemas).http.middlewares['hi@docker'];
    assert.deepEqual(qualified?.options, { greeting: 'hi', fallback: 'spare@docker', times: 1 });

    const bad = workdir('greet', {
      '.traefik.yml': NODE_MANIFEST,
      'main.mjs': GREET.replace('create:', "refs: [{ path: 'fallback', to: 'service' }],\n  create:"),
    });
    assert.match(await refusal(local('greet'), bad), /refs must be a list of \{ path/);
  });

  it('registers a provider plugin in the provider registry, and refuses one it cannot run', async () => {
    const manifest = 'displayName: Routes\ntype: provider\nruntime: node\nimport: main.mjs\n';
    const module = `import { Type } from '${typebox}';
export default {
  type: 'routes',
  schema: Type.Object({ host: Type.String() }),
  create: (options) => ({ name: 'mine', provide: async (emit) => emit({ config: {}, issues: [] }) }),
};
`;
    const cwd = workdir('routes', { '.traefik.yml': manifest, 'main.mjs': module });
    const providers = new Registry<ProviderDefinition>('provider');
    const middlewares = fresh();
    const loaded = await loadPlugins(local('routes'), cwd, middlewares, cwd, providers);
    assert.deepEqual(
      loaded.map((p) => [p.name, p.runtime]),
      [['greet', 'node']],
    );
    assert.deepEqual(middlewares.keys(), []);
    const provider = providers
      .get('plugin.greet')!
      .create({ host: 'a' }, { logger: Logger.create({ level: 'ERROR' }), cwd });
    assert.equal(provider.name, 'plugin-greet');

    const wasm = workdir('routes', { '.traefik.yml': manifest.replace('node', 'wasm'), 'main.mjs': module });
    const err = await loadPlugins(local('routes'), wasm, fresh(), wasm, new Registry('provider')).catch(
      (e) => e,
    );
    assert.match(String(err), /plugin "greet": .*provider plugins run on the "node" runtime only/);
    const empty = workdir('routes', { '.traefik.yml': manifest, 'main.mjs': 'export default {};\n' });
    const bad = await loadPlugins(local('routes'), empty, fresh(), empty, new Registry('provider')).catch(
      (e) => e,
    );
    assert.match(String(bad), /must export .*provider definition/);
  });
});
