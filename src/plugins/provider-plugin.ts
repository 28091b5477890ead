import { errorMessage } from '../core/errors.js';
import type { Registry } from '../core/registry.js';
import type { Provider, ProviderDefinition, ProviderSnapshot } from '../providers/contract.js';
import type { PluginInfo } from './info.js';
import { isDefinition, type PluginManifest, pluginError } from './manifest.js';

/**
 * Registers a provider plugin (`type: provider`, `runtime: node`) as `plugin.<name>` in `providers`: its
 * module exports a provider definition `{ type, schema, create(options, ctx) => Provider }`, enabled by
 * `providers.plugin.<name>: { …options }` in the static configuration. Its elements are qualified
 * `@plugin-<name>`. Throws a SwitchyardError naming the plugin on any problem.
 */
export function registerProviderPlugin(
  name: string,
  manifest: PluginManifest,
  exported: unknown,
  file: string,
  providers: Registry<ProviderDefinition>,
): PluginInfo {
  if (manifest.runtime !== 'node') {
    throw pluginError(
      name,
      `it is a provider plugin with the "${manifest.runtime}" runtime; provider plugins run on the "node" runtime only (see docs/plugins.md)`,
    );
  }
  const def = exported as Partial<ProviderDefinition> | undefined;
  if (!isDefinition(def)) {
    throw pluginError(
      name,
      `${file} must export (as default) a provider definition { type, schema (TypeBox), create } — see docs/plugins.md`,
    );
  }
  const key = `plugin.${name}`;
  if (providers.get(key) === undefined)
    providers.register(key, guardedProvider(name, def as ProviderDefinition));
  return { name, displayName: manifest.displayName, runtime: manifest.runtime };
}

/** The plugin's provider, named `plugin-<name>`, its failures reported in its name. */
function guardedProvider(name: string, def: ProviderDefinition): ProviderDefinition {
  return {
    type: `plugin.${name}`,
    schema: def.schema,
    create(options, ctx): Provider {
      const logger = ctx.logger.child({ plugin: name });
      const made: unknown = def.create(options, { ...ctx, logger });
      const p = made as Partial<Provider> | null;
      if (typeof p !== 'object' || p === null || typeof p.provide !== 'function') {
        throw pluginError(name, 'its create() must return a provider, { provide(emit, signal) }');
      }
      const provider = p as Provider;
      return {
        name: `plugin-${name}`,
        ...(provider.fromStrings ? { fromStrings: true } : {}),
        async provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal) {
          try {
            await provider.provide(emit, signal);
          } catch (err) {
            throw pluginError(name, `its provider failed: ${errorMessage(err)}`, err);
          }
        },
        ...(provider.refresh ? { refresh: () => provider.refresh?.() } : {}),
      };
    },
  };
}
