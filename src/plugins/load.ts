import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StaticConfig } from '../config/static/index.js';
import type { Registry } from '../core/registry.js';
import { guardHandler } from '../entrypoints/error-path.js';
import type { Middleware, MiddlewareBuildContext, MiddlewareDefinition } from '../middlewares/contract.js';

type Handler = ReturnType<Middleware>;

import type { ProviderDefinition } from '../providers/contract.js';
import { PLUGIN, type PluginInfo } from './info.js';
import { isDefinition, type PluginManifest, pluginError, readManifest } from './manifest.js';
import { resolvePluginPackage } from './npm.js';
import { registerProviderPlugin } from './provider-plugin.js';

/** The registry key of plugin `name`: `http.middlewares.x.plugin.<name>` validates and builds with it. */
export function pluginKey(name: string): string {
  return `plugin.${name}`;
}

/** Where local plugins live, relative to the working directory (as Traefik). */
export const LOCAL_PLUGINS_DIR = join('plugins-local', 'src');

const YAEGI =
  'its runtime is "yaegi" (Go source run by an interpreter), which Switchyard cannot run; build it for the "wasm" runtime (http-wasm, e.g. with TinyGo) or write it for the "node" runtime (a JavaScript module) — see docs/plugins.md';

export type { PluginInfo };

/** A loaded plugin, as registered. */
export interface LoadedPlugin extends PluginInfo {
  /** A middleware plugin's definition, or a provider plugin's (`type: provider`). */
  definition: MiddlewareDefinition | ProviderDefinition;
}

/**
 * Loads `experimental.localPlugins`: each from `cwd/plugins-local/src/<moduleName>/` (runtimes `node` and
 * `wasm`) or, with `package`, from an npm package installed in a `node_modules` of `configDir` or above
 * (runtime `node`), and registers each as the middleware type `plugin.<name>` in `registry` — or, for a
 * provider plugin (`type: provider`, runtime `node`, in plugins-local), as the provider `plugin.<name>` in
 * `providers`.
 * `experimental.plugins` (the online catalogue) and the `yaegi` runtime are refused. Throws a
 * SwitchyardError naming the plugin on any problem.
 */
export async function loadPlugins(
  experimental: StaticConfig['experimental'],
  cwd: string,
  registry: Registry<MiddlewareDefinition>,
  configDir: string = cwd,
  providers?: Registry<ProviderDefinition>,
): Promise<LoadedPlugin[]> {
  const remote = Object.keys(experimental?.plugins ?? {});
  if (remote.length > 0) {
    throw pluginError(
      remote[0]!,
      'experimental.plugins downloads plugins from Traefik\'s online catalogue, which Switchyard does not do (and its plugins are Go source); put a "node" runtime plugin under plugins-local/src and declare it in experimental.localPlugins (see docs/plugins.md)',
    );
  }
  const loaded: LoadedPlugin[] = [];
  for (const [name, entry] of Object.entries(experimental?.localPlugins ?? {})) {
    const provider = providers && (await loadProvider(name, entry, cwd, providers));
    if (provider) {
      loaded.push(provider);
      continue;
    }
    const info = await loadOne(name, entry, cwd, configDir);
    const definition = guarded(info, info.definition);
    const key = pluginKey(name);
    if (registry.get(key) === undefined) registry.register(key, definition);
    loaded.push({ ...info, definition });
  }
  return loaded;
}

interface LocalPluginEntry {
  moduleName?: string;
  package?: string;
}

async function loadOne(
  name: string,
  entry: LocalPluginEntry,
  cwd: string,
  configDir: string,
): Promise<PluginInfo & { definition: MiddlewareDefinition }> {
  if ((entry.moduleName === undefined) === (entry.package === undefined)) {
    throw pluginError(
      name,
      'give either moduleName (a folder under plugins-local/src) or package (an npm package), not both',
    );
  }
  if (entry.package !== undefined) {
    const pkg = resolvePluginPackage(name, entry.package, configDir);
    const manifest = existsSync(join(pkg.dir, '.traefik.yml')) ? readManifest(name, pkg.dir) : undefined;
    if (manifest && manifest.runtime !== 'node') {
      throw pluginError(
        name,
        `an npm package plugin must have the "node" runtime, its manifest says "${manifest.runtime}"`,
      );
    }
    if (manifest && manifest.type !== 'middleware') {
      throw pluginError(name, `its type is "${manifest.type}"; only "middleware" plugins are supported`);
    }
    const definition = await importModule(name, pkg.entry);
    return {
      name,
      displayName: manifest?.displayName ?? pkg.packageName,
      runtime: 'node',
      package: pkg.packageName,
      definition,
    };
  }
  const dir = resolve(cwd, LOCAL_PLUGINS_DIR, entry.moduleName!);
  if (!existsSync(dir)) throw pluginError(name, `its folder ${dir} does not exist`);
  const manifest = readManifest(name, dir);
  if (manifest.type !== 'middleware') {
    throw pluginError(
      name,
      `its type is "${manifest.type}"; Switchyard runs "middleware" plugins and "provider" plugins (runtime "node")`,
    );
  }
  let definition: MiddlewareDefinition;
  if (manifest.runtime === 'node') definition = await importDefinition(name, dir, manifest);
  else if (manifest.runtime === 'wasm') {
    // The wasm host loads with the first wasm plugin only.
    const { loadWasmPlugin } = await import('./wasm/index.js');
    definition = await loadWasmPlugin(name, dir, manifest);
  } else if (manifest.runtime === 'yaegi') throw pluginError(name, YAEGI);
  else throw pluginError(name, `unknown runtime "${manifest.runtime}" (Switchyard runs "node" and "wasm")`);
  return { name, displayName: manifest.displayName, runtime: manifest.runtime, definition };
}

/** A provider plugin from plugins-local, registered in `providers`; undefined for any other plugin. */
async function loadProvider(
  name: string,
  entry: LocalPluginEntry,
  cwd: string,
  providers: Registry<ProviderDefinition>,
): Promise<LoadedPlugin | undefined> {
  if (entry.moduleName === undefined || entry.package !== undefined) return undefined;
  const dir = resolve(cwd, LOCAL_PLUGINS_DIR, entry.moduleName);
  if (!existsSync(dir)) return undefined;
  const manifest = readManifest(name, dir);
  if (manifest.type !== 'provider') return undefined;
  const file = entryFile(name, dir, manifest);
  const mod = await importRaw(name, file);
  const info = registerProviderPlugin(name, manifest, mod.default ?? mod.provider, file, providers);
  return { ...info, definition: providers.get(`plugin.${name}`)! };
}

function entryFile(name: string, dir: string, manifest: PluginManifest): string {
  const file = resolve(dir, manifest.import ?? packageMain(dir) ?? 'index.js');
  if (!file.startsWith(dir + sep))
    throw pluginError(name, `the manifest's import key points outside the plugin folder: ${manifest.import}`);
  return file;
}

async function importDefinition(name: string, dir: string, manifest: PluginManifest) {
  return importModule(name, entryFile(name, dir, manifest));
}

async function importRaw(name: string, file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw pluginError(name, `cannot load ${file}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

async function importModule(name: string, file: string): Promise<MiddlewareDefinition> {
  const mod = await importRaw(name, file);
  const def = (mod.default ?? mod.middleware) as Partial<MiddlewareDefinition> | undefined;
  if (!isDefinition(def)) {
    throw pluginError(
      name,
      `${file} must export (as default) a middleware definition { type, schema (TypeBox), create } — see docs/plugins.md`,
    );
  }
  if (def.refs !== undefined && !validRefs(def.refs)) {
    throw pluginError(
      name,
      `${file}: refs must be a list of { path: [option names, "*" for each item], to: "middleware" | "service" | "serversTransport" }`,
    );
  }
  return def as MiddlewareDefinition;
}

function validRefs(refs: unknown): boolean {
  const targets = ['middleware', 'service', 'serversTransport'];
  return (
    Array.isArray(refs) &&
    refs.every(
      (r: { path?: unknown; to?: unknown } | null) =>
        typeof r === 'object' &&
        r !== null &&
        Array.isArray(r.path) &&
        r.path.length > 0 &&
        r.path.every((p) => typeof p === 'string') &&
        targets.includes(r.to as string),
    )
  );
}

function packageMain(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: unknown };
    return typeof pkg.main === 'string' ? pkg.main : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The plugin's definition with its failures attributed to it: `create` returning something that is not a
 * middleware is a configuration error; a handler that throws or rejects answers 500 through the common
 * error path, logged with the plugin's name.
 */
function guarded(info: PluginInfo, def: MiddlewareDefinition): MiddlewareDefinition {
  const { name } = info;
  const { displayName, runtime, package: pkg } = info;
  const definition: MiddlewareDefinition & { [PLUGIN]?: PluginInfo } = {
    [PLUGIN]:
      pkg === undefined ? { name, displayName, runtime } : { name, displayName, runtime, package: pkg },
    type: pluginKey(name),
    schema: def.schema,
    ...(def.refs ? { refs: def.refs } : {}),
    create(options, ctx): Middleware {
      // The plugin logs in its own name.
      const logger = ctx.logger.child({ plugin: name });
      const own: MiddlewareBuildContext = Object.create(ctx, { logger: { value: logger } });
      const mw: unknown = def.create(options, own);
      if (typeof mw !== 'function') {
        throw pluginError(name, 'its create() must return a middleware, (next) => handler');
      }
      return (next) => {
        const handler: unknown = (mw as Middleware)(next);
        if (typeof handler === 'function') return guardHandler(handler as Handler, logger, ctx.name);
        const failure = pluginError(name, 'its middleware must return a handler, (ctx) => void');
        return guardHandler(() => Promise.reject(failure), logger, ctx.name);
      };
    },
  };
  return definition;
}
