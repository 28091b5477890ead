import { Registry } from '../core/registry.js';
import type { MatcherDefinition, RuleSyntax } from './matcher-definition.js';
import { V2_MATCHERS } from './matchers-v2.js';
import { V3_MATCHERS } from './matchers-v3.js';

function table(syntax: RuleSyntax, defs: readonly MatcherDefinition[]): Registry<MatcherDefinition> {
  return new Registry<MatcherDefinition>(
    `${syntax} rule matcher`,
    defs.map((d) => [d.name, d]),
  );
}

/** The matcher registries, one per rule syntax. */
export const MATCHER_TABLES: Readonly<Record<RuleSyntax, Registry<MatcherDefinition>>> = {
  v3: table('v3', V3_MATCHERS),
  v2: table('v2', V2_MATCHERS),
};
