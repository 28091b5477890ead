/**
 * Traefik v1 frontend rules → a v3 rule plus path modifiers as v3 middlewares.
 *
 * v1 grammar: `Matcher:a,b` (comma = OR inside one matcher, except Headers/HeadersRegexp/Query), `;` = AND
 * between matchers, and the routes of one frontend are AND-ed. Modifiers (`AddPrefix`, `ReplacePath`, the
 * `*Strip` matchers' stripping) apply after matching in a fixed order whatever the order written.
 */

/** One v3 middleware a modifier becomes: its kind key (`stripPrefix`) and options. */
export interface V1Modifier {
  kind: string;
  options: Record<string, unknown>;
}

export interface ConvertedRule {
  /** The v3 rule; `PathPrefix(`/`)` when the routes have no matcher at all (only modifiers). */
  rule: string;
  /** Middlewares in v1's fixed application order. */
  modifiers: V1Modifier[];
  warnings: string[];
}

/** v1's order of modifiers (rules.go applies them in this order regardless of how they are written). */
const MODIFIER_ORDER = [
  'PathStrip',
  'PathPrefixStrip',
  'PathStripRegex',
  'PathPrefixStripRegex',
  'AddPrefix',
  'ReplacePath',
  'ReplacePathRegex',
] as const;

const MATCHERS = [
  'Host',
  'HostRegexp',
  'Method',
  'Path',
  'PathPrefix',
  'Headers',
  'HeadersRegexp',
  'Query',
  ...MODIFIER_ORDER,
];

/** A Go string literal for a v3 rule: backticks unless the value contains one. */
export function literal(value: string): string {
  return value.includes('`') ? JSON.stringify(value) : `\`${value}\``;
}

/** A gorilla/mux template (`{sub:[a-z]+}.a.com`) as a Go regexp source, anchored at the start. */
export function templateToRegex(template: string, defaultPattern: string, anchorEnd: boolean): string {
  let out = '^';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) {
      out += quoteMeta(template.slice(i));
      break;
    }
    out += quoteMeta(template.slice(i, open));
    let depth = 0;
    let close = open;
    for (; close < template.length; close++) {
      if (template[close] === '{') depth++;
      else if (template[close] === '}' && --depth === 0) break;
    }
    const body = template.slice(open + 1, close);
    const colon = body.indexOf(':');
    out += `(${colon === -1 ? defaultPattern : body.slice(colon + 1)})`;
    i = close + 1;
  }
  return anchorEnd ? `${out}$` : out;
}

function quoteMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function or(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
}

function pathMatcher(path: string, prefix: boolean): string {
  if (path.includes('{')) return `PathRegexp(${literal(templateToRegex(path, '[^/]+', !prefix))})`;
  return `${prefix ? 'PathPrefix' : 'Path'}(${literal(path)})`;
}

/** Splits `Name:args` (the name is matched case-insensitively, as a courtesy beyond v1). */
function splitMatcher(part: string): { name: string | undefined; raw: string; written: string } {
  const colon = part.indexOf(':');
  const written = (colon === -1 ? part : part.slice(0, colon)).trim();
  const raw = colon === -1 ? '' : part.slice(colon + 1);
  const name = MATCHERS.find((m) => m.toLowerCase() === written.toLowerCase());
  return { name, raw, written };
}

function args(raw: string): string[] {
  return raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** Converts the rules of one frontend's routes (AND-ed together). */
export function convertV1Rules(routes: readonly string[]): ConvertedRule {
  const conditions: string[] = [];
  const warnings: string[] = [];
  const found = new Map<string, string[]>();
  for (const route of routes) {
    for (const part of route.split(';')) {
      if (part.trim() === '') continue;
      const { name, raw, written } = splitMatcher(part);
      const values = args(raw);
      if (!name) {
        warnings.push(`unknown v1 rule matcher "${written}" in "${route}" ignored`);
        continue;
      }
      if (values.length === 0 && name !== 'ReplacePathRegex') {
        warnings.push(`v1 rule "${part.trim()}" has no value; ignored`);
        continue;
      }
      const condition = matcherCondition(name, raw, values, warnings);
      if (condition) conditions.push(condition);
      if ((MODIFIER_ORDER as readonly string[]).includes(name)) {
        found.set(name, name === 'ReplacePathRegex' ? [raw.trim()] : values);
      }
    }
  }
  const modifiers = MODIFIER_ORDER.flatMap((name) => {
    const values = found.get(name);
    return values ? modifierFor(name, values, warnings) : [];
  });
  const rule = conditions.length === 0 ? 'PathPrefix(`/`)' : conditions.join(' && ');
  return { rule, modifiers, warnings };
}

function matcherCondition(
  name: string,
  raw: string,
  values: string[],
  warnings: string[],
): string | undefined {
  switch (name) {
    case 'Host':
      return or(values.map((h) => `Host(${literal(h)})`));
    case 'HostRegexp':
      return or(values.map((h) => `HostRegexp(${literal(`(?i)${templateToRegex(h, '[^.]+', true)}`)})`));
    case 'Method':
      return or(values.map((m) => `Method(${literal(m.toUpperCase())})`));
    case 'Path':
    case 'PathStrip':
    case 'PathStripRegex':
      return or(values.map((p) => pathMatcher(p, false)));
    case 'PathPrefix':
    case 'PathPrefixStrip':
    case 'PathPrefixStripRegex':
      return or(values.map((p) => pathMatcher(p, true)));
    case 'Headers':
    case 'HeadersRegexp': {
      if (values.length !== 2) {
        warnings.push(`v1 rule "${name}:${raw}" needs a header name and a value; ignored`);
        return undefined;
      }
      const kind = name === 'Headers' ? 'Header' : 'HeaderRegexp';
      return `${kind}(${literal(values[0]!)}, ${literal(values[1]!)})`;
    }
    case 'Query':
      // mux Queries: every pair must match (AND), values may be templates.
      return values
        .map((pair) => {
          const eq = pair.indexOf('=');
          const key = eq === -1 ? pair : pair.slice(0, eq);
          const value = eq === -1 ? '' : pair.slice(eq + 1);
          if (value === '') return `QueryRegexp(${literal(key)}, ${literal('.*')})`;
          if (value.includes('{'))
            return `QueryRegexp(${literal(key)}, ${literal(templateToRegex(value, '.*', true))})`;
          return `Query(${literal(key)}, ${literal(value)})`;
        })
        .join(' && ');
    default:
      return undefined; // AddPrefix, ReplacePath, ReplacePathRegex only modify
  }
}

function modifierFor(name: string, values: string[], warnings: string[]): V1Modifier[] {
  switch (name) {
    case 'PathStrip':
    case 'PathPrefixStrip':
      // The longest prefix first, so `/api/v2` is stripped whole when `/api` is also listed.
      return [
        { kind: 'stripPrefix', options: { prefixes: [...values].sort((a, b) => b.length - a.length) } },
      ];
    case 'PathStripRegex':
    case 'PathPrefixStripRegex':
      return [
        {
          kind: 'stripPrefixRegex',
          options: { regex: values.map((v) => templateToRegex(v, '[^/]+', name === 'PathStripRegex')) },
        },
      ];
    case 'AddPrefix':
      return [{ kind: 'addPrefix', options: { prefix: values[0]! } }];
    case 'ReplacePath':
      return [{ kind: 'replacePath', options: { path: values[0]! } }];
    case 'ReplacePathRegex': {
      const [regex, ...rest] = values[0]!.split(/\s+/);
      if (!regex || rest.length === 0) {
        warnings.push(`v1 rule "ReplacePathRegex:${values[0]}" needs "<regex> <replacement>"; ignored`);
        return [];
      }
      return [{ kind: 'replacePathRegex', options: { regex, replacement: rest.join(' ') } }];
    }
    default:
      return [];
  }
}
