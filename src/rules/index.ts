/**
 * The rule language: Traefik v3 (and v2) router rules → AST → compiled predicates.
 */
export { type BinaryNode, formatRule, type MatcherNode, type NotNode, type RuleNode } from './ast.js';
export { type CompiledRule, compiledRules, compileNode, compileRule } from './compile.js';
export { type HostIndexKeys, hostsOf, indexHosts } from './host-analysis.js';
export type { CompileTools, MatcherDefinition, RulePredicate, RuleSyntax } from './matcher-definition.js';
export { MATCHER_TABLES } from './matcher-tables.js';
export { type MatcherTables, parseRule } from './parser.js';
export { defaultPriority } from './priority.js';
export { v2PlaceholderWarning } from './v2-placeholders.js';
