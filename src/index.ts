/**
 * Switchyard as a library: `import { start, ConfigProvider } from 'switchyard'`. See docs/library.md.
 */
export type { DynamicConfig } from './config/dynamic/index.js';
export type {
  ElementStatus,
  RuntimeConfig,
  RuntimeElement,
  RuntimeRouter,
} from './config/runtime/runtime-config.js';
export type { StaticConfig } from './config/static/index.js';
export { type ErrorCode, SwitchyardError } from './core/errors.js';
export { type LogFormat, Logger, type LogLevel } from './core/logger.js';
export { ConfigProvider } from './library/config-provider.js';
export type { ConfigInput, DynamicConfigInput, StaticConfigInput } from './library/input-types.js';
export { type StartOptions, Switchyard, start, validateStaticConfig } from './library/start.js';
export type { Provider, ProviderIssue, ProviderSnapshot } from './providers/contract.js';
