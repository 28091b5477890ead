/** The static (install) configuration: schema, loaders and `loadStaticConfig()`. */
export { configFileCandidates } from './config-file.js';
export { applyDerivedDefaults, INTERNAL_ENTRYPOINT } from './derived.js';
export { ENV_PREFIXES, envToSource } from './env.js';
export { parseConfigText, readConfigFile } from './file.js';
export { flagsToSource, type ParsedArgs, parseArgs } from './flags.js';
export { type LoadStaticOptions, type LoadStaticResult, loadStaticConfig } from './load.js';
export { type EntryPointConfig, EntryPointSchema, type StaticConfig, staticSchema } from './schema.js';
export { REDIRECTION_PRIORITY } from './schema-entrypoints.js';
export { DEFAULT_PROVIDER_PRECEDENCE } from './schema-providers.js';
