import { errorMessage } from '../core/errors.js';
import type { GoRegex } from '../core/go-regex/index.js';
import type { HttpContext } from '../core/http-context.js';
import { normalizeHost } from './host-pattern.js';
import { compileIpMatcher } from './ip-match.js';
import type { CompileTools, MatcherDefinition, RulePredicate } from './matcher-definition.js';
import { headerPredicate, requireAscii, requireSlash } from './matchers-v3.js';
import { compileTemplate, hasVariables, type TemplateKind } from './mux-template.js';
import { queryValues } from './request-fields.js';

/**
 * The v2 rule matchers (`ruleSyntax: v2`, Traefik's `matcher_v2.go` on gorilla/mux). Host, HostRegexp,
 * Path, PathPrefix, Method and ClientIP take several values and match any of them; Headers,
 * HeadersRegexp and Query take key/value pairs that must all match.
 */

const VARIADIC = Number.POSITIVE_INFINITY;

function anyOf(predicates: RulePredicate[]): RulePredicate {
  if (predicates.length === 1) return predicates[0]!;
  return (ctx) => {
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(ctx)) return true;
    return false;
  };
}

function allOf(predicates: RulePredicate[]): RulePredicate {
  if (predicates.length === 1) return predicates[0]!;
  return (ctx) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(ctx)) return false;
    return true;
  };
}

function template(tools: CompileTools, index: number, value: string, kind: TemplateKind): GoRegex {
  try {
    return compileTemplate(value, kind);
  } catch (err) {
    return tools.fail(index, errorMessage(err));
  }
}

/** Path templates: plain strings compare directly, `{name:re}` variables use one compiled regexp. */
function pathMatcher(kind: 'path' | 'pathPrefix'): MatcherDefinition['compile'] {
  return (args, tools) => {
    requireSlash(args, tools);
    return anyOf(
      args.map((value, index): RulePredicate => {
        if (hasVariables(value)) {
          const re = template(tools, index, value, kind);
          return (ctx) => re.test(ctx.path);
        }
        if (kind === 'path') return (ctx) => ctx.path === value;
        return (ctx) => ctx.path.startsWith(value);
      }),
    );
  };
}

const pairs = (count: number): string | undefined =>
  count % 2 === 0 ? undefined : 'expected key/value pairs (an even number of arguments)';

const hostV2: MatcherDefinition = {
  name: 'Host',
  minArgs: 1,
  maxArgs: VARIADIC,
  compile(args, tools) {
    requireAscii(args, tools, 'host');
    const hosts = new Set(args.map(normalizeHost));
    return (ctx) => hosts.has(ctx.host);
  },
  hostExpressions: (args) => args.map(normalizeHost),
};

const hostRegexpV2: MatcherDefinition = {
  name: 'HostRegexp',
  minArgs: 1,
  maxArgs: VARIADIC,
  compile(args, tools) {
    requireAscii(args, tools, 'host template');
    return anyOf(
      args.map((value, index): RulePredicate => {
        if (!hasVariables(value)) {
          const expected = normalizeHost(value);
          return (ctx) => ctx.host === expected;
        }
        const re = template(tools, index, value, 'host');
        return (ctx) => re.test(ctx.host);
      }),
    );
  },
};

const methodV2: MatcherDefinition = {
  name: 'Method',
  minArgs: 1,
  maxArgs: VARIADIC,
  compile(args) {
    const methods = new Set(args.map((m) => m.toUpperCase()));
    return (ctx) => methods.has(ctx.req.method ?? '');
  },
};

const headersV2: MatcherDefinition = {
  name: 'Headers',
  minArgs: 2,
  maxArgs: VARIADIC,
  checkArity: pairs,
  compile(args) {
    const all: RulePredicate[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const expected = args[i + 1]!;
      all.push(headerPredicate(args[i]!, (value) => value === expected));
    }
    return allOf(all);
  },
};

const headersRegexpV2: MatcherDefinition = {
  name: 'HeadersRegexp',
  minArgs: 2,
  maxArgs: VARIADIC,
  checkArity: pairs,
  compile(args, tools) {
    const all: RulePredicate[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const re = tools.regex(i + 1, args[i + 1]!);
      all.push(headerPredicate(args[i]!, (value) => re.test(value)));
    }
    return allOf(all);
  },
};

/** gorilla/mux looks only at the first value of the parameter. */
function firstQueryValue(ctx: HttpContext, key: string): string | undefined {
  return ctx.rawQuery === '' ? undefined : queryValues(ctx.rawQuery).get(key)?.[0];
}

const queryV2: MatcherDefinition = {
  name: 'Query',
  minArgs: 1,
  maxArgs: VARIADIC,
  compile(args, tools) {
    // Each argument is `key=value` (the value may hold {name:re} variables); like Traefik, the pieces
    // are flattened into key/value pairs, so `Query(k)` alone is an error and `Query(a, b)` means a=b.
    const flat: { text: string; index: number }[] = [];
    args.forEach((arg, index) => {
      const eq = arg.indexOf('=');
      flat.push({ text: eq === -1 ? arg : arg.slice(0, eq), index });
      if (eq !== -1) flat.push({ text: arg.slice(eq + 1), index });
    });
    if (flat.length % 2 !== 0) tools.fail(args.length - 1, 'expected key=value pairs');
    const all: RulePredicate[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const key = flat[i]!.text;
      const value = flat[i + 1]!;
      if (value.text === '') {
        all.push((ctx) => firstQueryValue(ctx, key) !== undefined);
      } else if (!hasVariables(value.text)) {
        const expected = value.text;
        all.push((ctx) => firstQueryValue(ctx, key) === expected);
      } else {
        const re = template(tools, value.index, value.text, 'queryValue');
        all.push((ctx) => {
          const first = firstQueryValue(ctx, key);
          return first !== undefined && re.test(first);
        });
      }
    }
    return allOf(all);
  },
};

const clientIpV2: MatcherDefinition = {
  name: 'ClientIP',
  minArgs: 1,
  maxArgs: VARIADIC,
  compile(args, tools) {
    const contains = compileIpMatcher(args, tools.fail);
    return (ctx) => contains(ctx.clientIp);
  },
};

/** Every v2 matcher definition (`HostHeader` is an alias of `Host`). */
export const V2_MATCHERS: readonly MatcherDefinition[] = [
  hostV2,
  { ...hostV2, name: 'HostHeader' },
  hostRegexpV2,
  { name: 'Path', minArgs: 1, maxArgs: VARIADIC, compile: pathMatcher('path') },
  { name: 'PathPrefix', minArgs: 1, maxArgs: VARIADIC, compile: pathMatcher('pathPrefix') },
  methodV2,
  headersV2,
  headersRegexpV2,
  queryV2,
  clientIpV2,
];
