import { normalize } from '../config/schema/normalize.js';
import type { StaticConfig } from '../config/static/index.js';
import { SwitchyardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Lookup } from '../core/registry.js';
import type { Provider, ProviderDefinition } from './contract.js';

/**
 * Every provider the static configuration enables, looked up in the provider registry: the built-ins
 * (`providers.file`, `http`, `rest`, `etcd`, `redis`, `zooKeeper`, `docker`) in the registry's order, then
 * provider plugins (`providers.plugin.<name>`, registered as `plugin.<name>`), whose options are checked
 * against the plugin's schema. The REST provider is returned like the others; mount its handler with
 * `restProviderHandler(providers.find((p) => p instanceof RestProvider))`. Throws a SwitchyardError for a
 * provider plugin that is not loaded or whose options do not fit its schema.
 *
 * @example const watcher = new Watcher({ providers: providersFromStatic(config, logger, extensions.providers), … })
 */
export function providersFromStatic(
  config: StaticConfig,
  logger: Logger,
  registry: Lookup<ProviderDefinition> & { values(): ProviderDefinition[] },
  cwd = process.cwd(),
): Provider[] {
  const sections = config.providers as Record<string, unknown>;
  const ctx = { logger, cwd };
  const out: Provider[] = [];
  for (const def of registry.values()) {
    const options = sections[def.type];
    if (options !== undefined && !def.type.startsWith('plugin.')) out.push(def.create(options, ctx));
  }
  for (const [name, raw] of Object.entries(config.providers.plugin ?? {})) {
    const def = registry.get(`plugin.${name}`);
    if (!def) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `providers.plugin.${name}: no provider plugin "${name}" is loaded; declare it in experimental.localPlugins (see docs/plugins.md)`,
      );
    }
    const { value, issues } = normalize(def.schema, raw);
    if (issues.length > 0) {
      const why = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      throw new SwitchyardError('CONFIG_INVALID', `providers.plugin.${name}: ${why}`);
    }
    out.push(def.create(value, ctx));
  }
  return out;
}

export type {
  Provider,
  ProviderBuildContext,
  ProviderDefinition,
  ProviderIssue,
  ProviderSnapshot,
} from './contract.js';
export { builtinProviders } from './registry.js';
export { RestProvider, restProviderHandler } from './rest/index.js';
