import type { MiddlewareConfig } from '../config/dynamic/index.js';
import type { RuntimeElement } from '../config/runtime/runtime-config.js';
import { referencedNames } from '../core/references.js';
import type { Declaration, Lookup, ReferenceTarget } from '../core/registry.js';
import { providerOf, qualifyRef } from './resolve-name.js';

/** The runtime elements a reference may name, by what it names. */
export type UseTargets = Partial<Record<ReferenceTarget, Record<string, RuntimeElement>>>;

/**
 * Adds to `usedBy` of every element named through a declaration's references the element naming it
 * (a chain's middlewares, an errors middleware's service, a weighted service's children…), after the
 * routers that use it. Each name is recorded once.
 */
export function recordReferenceUses(
  elements: Record<string, RuntimeElement>,
  parts: (config: unknown) => [Declaration | undefined, unknown][],
  targets: UseTargets,
): void {
  for (const [name, el] of Object.entries(elements)) {
    if (el.config === undefined) continue;
    for (const [declaration, options] of parts(el.config)) {
      for (const ref of referencedNames(options, declaration?.refs)) {
        const target = targets[ref.to]?.[qualifyRef(ref.name, providerOf(name))];
        if (target && !target.usedBy.includes(name)) target.usedBy.push(name);
      }
    }
  }
}

/** A middleware's parts: its one kind with its options. */
export const middlewareParts =
  (lookup: Lookup<Declaration>) =>
  (config: unknown): [Declaration | undefined, unknown][] => {
    const mc = config as MiddlewareConfig;
    return [[lookup.get(mc.type), mc.options]];
  };

/** A service's parts: each kind key it sets (`loadBalancer`, `weighted`…) with its options. */
export const serviceParts =
  (lookup: Lookup<Declaration>) =>
  (config: unknown): [Declaration | undefined, unknown][] =>
    Object.entries(config as Record<string, unknown>)
      .filter(([key, value]) => key !== 'middlewares' && value !== undefined)
      .map(([key, value]) => [lookup.get(key), value]);
