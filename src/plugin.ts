/**
 * The plugin contract (`import … from 'switchyard/plugin'`): a `runtime: node` plugin's module exports, as
 * default, a middleware definition with the same shape as Switchyard's built-in middlewares. See
 * docs/plugins.md.
 *
 * @example
 * import { Type, defineMiddleware } from 'switchyard/plugin';
 * export default defineMiddleware({
 *   type: 'stamp',
 *   schema: Type.Object({ value: Type.String() }),
 *   create: (options) => (next) => (ctx) => { ctx.req.headers['x-stamp'] = options.value; return next(ctx); },
 * });
 */
export { type Static, type TSchema, Type } from '@sinclair/typebox';
export {
  addHeadHook,
  type HttpContext,
  type HttpHandler,
  type ResponseHeadHook,
} from './core/http-context.js';
export type { Logger } from './core/logger.js';
export type { Reference, ReferenceTarget } from './core/registry.js';
export {
  defineMiddleware,
  type Middleware,
  type MiddlewareBuildContext,
  type MiddlewareDefinition,
} from './middlewares/contract.js';
export {
  defineProvider,
  type Provider,
  type ProviderBuildContext,
  type ProviderDefinition,
  type ProviderIssue,
  type ProviderSnapshot,
} from './providers/contract.js';
