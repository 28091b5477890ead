import { hostPatternTest, normalizeHost, parseHostPattern } from './host-pattern.js';
import { compileIpMatcher } from './ip-match.js';
import type { CompileTools, MatcherDefinition, RulePredicate } from './matcher-definition.js';
import { queryValues, someHeaderValue } from './request-fields.js';

/**
 * The v3 rule matchers (Traefik's default syntax): one value per matcher, combined with `&&`, `||`, `!`.
 * Semantics follow Traefik's `pkg/muxer/http/matcher.go`.
 */

/** Rejects non-ASCII host expressions (punycode must be used), as Traefik does. */
export function requireAscii(args: readonly string[], tools: CompileTools, what: string): void {
  args.forEach((arg, index) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
    if (!/^[\x00-\x7f]*$/.test(arg)) tools.fail(index, `non-ASCII ${what} "${arg}": use the punycode form`);
  });
}

/** Rejects paths that do not start with `/`. */
export function requireSlash(args: readonly string[], tools: CompileTools): void {
  args.forEach((arg, index) => {
    if (!arg.startsWith('/')) tools.fail(index, `path "${arg}" must start with "/"`);
  });
}

/** A predicate over the value(s) of a query parameter; `Query(k)` means present with an empty value. */
export function queryPredicate(key: string, test: (value: string) => boolean): RulePredicate {
  return (ctx) => {
    if (ctx.rawQuery === '') return false;
    const values = queryValues(ctx.rawQuery).get(key);
    if (values === undefined) return false;
    for (let i = 0; i < values.length; i++) if (test(values[i]!)) return true;
    return false;
  };
}

/** A predicate over every value of a header (case-insensitive name). */
export function headerPredicate(name: string, test: (value: string) => boolean): RulePredicate {
  const key = name.toLowerCase();
  return (ctx) => someHeaderValue(ctx.req.headers, ctx.req.rawHeaders, key, test);
}

const host: MatcherDefinition = {
  name: 'Host',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    requireAscii(args, tools, 'host');
    const test = hostPatternTest(parseHostPattern(args[0]!));
    return (ctx) => test(ctx.host);
  },
  hostExpressions: (args) => args.map(normalizeHost),
};

const hostRegexp: MatcherDefinition = {
  name: 'HostRegexp',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    requireAscii(args, tools, 'host regexp');
    const re = tools.regex(0, args[0]!);
    return (ctx) => re.test(ctx.host);
  },
};

const path: MatcherDefinition = {
  name: 'Path',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    requireSlash(args, tools);
    const expected = args[0]!;
    return (ctx) => ctx.path === expected;
  },
};

const pathPrefix: MatcherDefinition = {
  name: 'PathPrefix',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    requireSlash(args, tools);
    const prefix = args[0]!;
    if (prefix === '/') return (ctx) => ctx.path.charCodeAt(0) === 47;
    return (ctx) => ctx.path.startsWith(prefix);
  },
};

const pathRegexp: MatcherDefinition = {
  name: 'PathRegexp',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    const re = tools.regex(0, args[0]!);
    return (ctx) => re.test(ctx.path);
  },
};

const method: MatcherDefinition = {
  name: 'Method',
  minArgs: 1,
  maxArgs: 1,
  compile(args) {
    const expected = args[0]!.toUpperCase();
    return (ctx) => ctx.req.method === expected;
  },
};

const header: MatcherDefinition = {
  name: 'Header',
  minArgs: 2,
  maxArgs: 2,
  compile(args) {
    const expected = args[1]!;
    return headerPredicate(args[0]!, (value) => value === expected);
  },
};

const headerRegexp: MatcherDefinition = {
  name: 'HeaderRegexp',
  minArgs: 2,
  maxArgs: 2,
  compile(args, tools) {
    const re = tools.regex(1, args[1]!);
    return headerPredicate(args[0]!, (value) => re.test(value));
  },
};

const query: MatcherDefinition = {
  name: 'Query',
  minArgs: 1,
  maxArgs: 2,
  compile(args) {
    const expected = args[1] ?? '';
    return queryPredicate(args[0]!, (value) => value === expected);
  },
};

const queryRegexp: MatcherDefinition = {
  name: 'QueryRegexp',
  minArgs: 1,
  maxArgs: 2,
  compile(args, tools) {
    if (args.length === 1) return query.compile(args, tools);
    const re = tools.regex(1, args[1]!);
    return queryPredicate(args[0]!, (value) => re.test(value));
  },
};

const clientIp: MatcherDefinition = {
  name: 'ClientIP',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    const contains = compileIpMatcher(args, tools.fail);
    return (ctx) => contains(ctx.clientIp);
  },
};

/** Every v3 matcher definition, in Traefik's documentation order. */
export const V3_MATCHERS: readonly MatcherDefinition[] = [
  header,
  headerRegexp,
  host,
  hostRegexp,
  method,
  path,
  pathPrefix,
  pathRegexp,
  query,
  queryRegexp,
  clientIp,
];
