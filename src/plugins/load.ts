import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StaticConfig } from '../config/static/index.js';
import type { Registry } from '../core/registry.js';
import { guardHandler } from '../entrypoints/error-path.js';
import type { Middleware, MiddlewareDefinition } from '../middlewares/contract.js';

type Handler = ReturnType<Middleware>;

import { type PluginManifest, pluginError, readManifest } from './manifest.js';

/** The registry key of plugin `name`: `http.middlewares.x.plugin.<name>` validates and builds with it. */
export function pluginKey(name: string): string {
  return `plugin.${name}`;
}

/** Where local plugins live, relative to the working directory (as Traefik). */
export const LOCAL_PLUGINS_DIR = join('plugins-local', 'src');

const OTHER_RUNTIMES: Record<string, string> = {
  yaegi:
    'its runtime is "yaegi" (Go source run by an interpreter), which Switchyard cannot run; write it for the "node" runtime (a JavaScript module, see docs/plugins.md) — the "wasm" runtime is planned',
  wasm: 'the "wasm" runtime is planned but not available yet; use the "node" runtime (see docs/plugins.md)',
};

/** A loaded plugin, as registered. */
export interface LoadedPlugin {
  name: string;
  displayName: string;
  runtime: string;
  definition: MiddlewareDefinition;
}

/**
 * Loads `experimental.localPlugins` from `cwd/plugins-local/src/<moduleName>/` and registers each as the
 * middleware type `plugin.<name>` in `registry`. `experimental.plugins` (the online catalogue) and
 * runtimes other than `node` are refused. Throws a SwitchyardError naming the plugin on any problem.
 */
export async function loadPlugins(
  experimental: StaticConfig['experimental'],
  cwd: string,
  registry: Registry<MiddlewareDefinition>,
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
    const dir = resolve(cwd, LOCAL_PLUGINS_DIR, entry.moduleName);
    if (!existsSync(dir)) throw pluginError(name, `its folder ${dir} does not exist`);
    const manifest = readManifest(name, dir);
    if (manifest.type !== 'middleware') {
      throw pluginError(name, `its type is "${manifest.type}"; only "middleware" plugins are supported`);
    }
    if (manifest.runtime !== 'node') {
      throw pluginError(
        name,
        OTHER_RUNTIMES[manifest.runtime] ?? `unknown runtime "${manifest.runtime}" (Switchyard runs "node")`,
      );
    }
    const definition = guarded(name, await importDefinition(name, dir, manifest));
    const key = pluginKey(name);
    const existing = registry.get(key);
    if (existing === undefined) registry.register(key, definition);
    loaded.push({ name, displayName: manifest.displayName, runtime: manifest.runtime, definition });
  }
  return loaded;
}

async function importDefinition(name: string, dir: string, manifest: PluginManifest) {
  const file = resolve(dir, manifest.import ?? packageMain(dir) ?? 'index.js');
  if (!file.startsWith(dir))
    throw pluginError(name, `the manifest's import key points outside the plugin folder: ${manifest.import}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw pluginError(name, `cannot load ${file}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const def = (mod.default ?? mod.middleware) as Partial<MiddlewareDefinition> | undefined;
  const isSchema = (s: unknown) =>
    typeof s === 'object' && s !== null && Symbol.for('TypeBox.Kind') in (s as object);
  if (!def || typeof def !== 'object' || typeof def.create !== 'function' || !isSchema(def.schema)) {
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
function guarded(name: string, def: MiddlewareDefinition): MiddlewareDefinition {
  return {
    type: pluginKey(name),
    schema: def.schema,
    ...(def.refs ? { refs: def.refs } : {}),
    create(options, ctx): Middleware {
      const mw: unknown = def.create(options, ctx);
      if (typeof mw !== 'function') {
        throw pluginError(name, 'its create() must return a middleware, (next) => handler');
      }
      const logger = ctx.logger.child({ plugin: name });
      return (next) => {
        const handler: unknown = (mw as Middleware)(next);
        if (typeof handler === 'function') return guardHandler(handler as Handler, logger, ctx.name);
        const failure = pluginError(name, 'its middleware must return a handler, (ctx) => void');
        return guardHandler(() => Promise.reject(failure), logger, ctx.name);
      };
    },
  };
}
