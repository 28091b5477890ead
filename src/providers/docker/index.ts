import type { StaticConfig } from '../../config/static/schema.js';
import type { Logger } from '../../core/logger.js';
import type { Provider } from '../contract.js';
import { DockerProvider } from './docker-provider.js';

export { compileConstraints, type LabelConstraint } from './constraints.js';
export { DockerProvider, type DockerProviderOptions } from './docker-provider.js';
export { compileTemplate, normalizeName } from './template.js';

/** The validated `providers.docker` static options. */
export type DockerStaticOptions = NonNullable<StaticConfig['providers']['docker']>;

/**
 * The Docker provider from its static options (`providers.docker`). Throws CONFIG_INVALID when
 * `defaultRule`, `constraints`, `endpoint` or the TLS files cannot be used.
 *
 * @example if (config.providers.docker) providers.push(createDockerProvider(config.providers.docker, logger));
 */
export function createDockerProvider(options: DockerStaticOptions, logger: Logger): Provider {
  return new DockerProvider({ ...options, logger });
}
