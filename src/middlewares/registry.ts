import { Registry } from '../core/registry.js';
import addPrefix from './addprefix/index.js';
import chain from './chain/index.js';
import type { MiddlewareDefinition } from './contract.js';
import headers from './headers/index.js';
import redirectScheme from './redirectscheme/index.js';
import replacePath from './replacepath/index.js';
import stripPrefix from './stripprefix/index.js';

/** Every HTTP middleware kind, in one list. Adding a middleware = one import and one entry here. */
export const MIDDLEWARE_DEFINITIONS: readonly MiddlewareDefinition[] = [
  addPrefix,
  chain,
  headers,
  redirectScheme,
  replacePath,
  stripPrefix,
];

/**
 * HTTP middleware definitions by configuration key (`stripPrefix`), looked up case-insensitively as
 * Traefik's keys are. The config validator normalizes an element's options with `def.schema`; the graph
 * builder calls `def.create(options, buildContext)`.
 *
 * @example
 *   const def = middlewareRegistry.get('stripprefix'); // the stripPrefix definition
 *   middlewareRegistry.canonical('STRIPPREFIX') === 'stripPrefix';
 */
export const middlewareRegistry: Registry<MiddlewareDefinition> = new Registry(
  'middleware',
  MIDDLEWARE_DEFINITIONS.map((def): [string, MiddlewareDefinition] => [def.type, def]),
);
