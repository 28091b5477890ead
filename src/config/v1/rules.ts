import { errorMessage } from '../../core/errors.js';
import { compileGoRegex } from '../../core/go-regex/index.js';
import { didYouMean } from '../../core/suggest.js';
import { compileTemplate } from '../../rules/mux-template.js';

/**
 * Traefik v1 frontend rules → a v3 rule plus path modifiers as v3 middlewares, routing exactly as
 * Traefik 1.7 does (`rules/rules.go` on gorilla/mux):
 *
 * - `Matcher:a,b` is an OR of the values (pairs for Headers/HeadersRegexp/Query), `;` an AND between
 *   matchers, and the routes of one frontend are AND-ed. Matcher names are case-sensitive; an unknown
 *   matcher, a matcher without a value or a malformed template makes v1 skip the frontend: here it is an
 *   error (the router is not served).
 * - The priority is the frontend's `priority` when > 0, else the total length of its rule strings.
 * - Modifiers keep one slot each, the last written value winning (PathStrip and PathPrefixStrip share
 *   one, as do PathStripRegex and PathPrefixStripRegex), and apply in v1's fixed order: the regex strip,
 *   the strip, AddPrefix, ReplacePathRegex, ReplacePath.
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
  /** Traefik 1.7's sort key without an explicit priority: the total length (bytes) of the rule strings. */
  priority: number;
  warnings: string[];
  /** Why Traefik 1.7 would refuse these routes (the frontend is then not served); empty when they convert. */
  errors: string[];
  /**
   * gorilla/mux's strict slash, which Traefik 1.7 turns on (unless `keepTrailingSlash`): a `Path` template
   * also matches its path with the trailing slash toggled, and answers that request with a 301 to the
   * template's form (`/a/` → `/a`, `/b` → `/b/` for `Path:/b/`), before any middleware. Each entry is the
   * rule of such requests and the direction of the redirect.
   */
  slashRedirects: SlashRedirect[];
  /** 'v2' when the rule is written in Traefik's v2 syntax (a `Query` matcher needs it). */
  ruleSyntax?: 'v2';
}

/** One parsed v1 matcher. */
interface Matcher {
  name: string;
  values: string[];
}

/** Requests that gorilla/mux redirects by toggling the trailing slash (see `ConvertedRule.slashRedirects`). */
export interface SlashRedirect {
  rule: string;
  /** True: the request lacks the template's trailing slash (add it); false: remove the request's. */
  addSlash: boolean;
}

const STRIP = ['PathStrip', 'PathPrefixStrip'] as const;
const STRIP_REGEX = ['PathStripRegex', 'PathPrefixStripRegex'] as const;

/** v1's matchers, spelled as v1 requires (case-sensitive). */
const MATCHERS = [
  'Host',
  'HostRegexp',
  'Method',
  'Path',
  'PathPrefix',
  'Headers',
  'HeadersRegexp',
  'Query',
  ...STRIP,
  ...STRIP_REGEX,
  'AddPrefix',
  'ReplacePath',
  'ReplacePathRegex',
];

/** Matchers whose values are paths (mux requires a leading `/`). */
const PATH_MATCHERS = new Set(['Path', 'PathPrefix', ...STRIP, ...STRIP_REGEX]);
/** Matchers that match the whole path (gorilla/mux `Path`) rather than a prefix. */
const FULL_PATH = new Set(['Path', 'PathStrip', 'PathStripRegex']);

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

function pathCondition(path: string, prefix: boolean): string {
  if (path.includes('{')) return `PathRegexp(${literal(templateToRegex(path, '[^/]+', !prefix))})`;
  return `${prefix ? 'PathPrefix' : 'Path'}(${literal(path)})`;
}

/** Thrown inside the parser for a rule Traefik 1.7 refuses; becomes one entry of `errors`. */
class RuleError extends Error {}

/** One `Name:args` piece, split as v1 does (Go `strings.FieldsFunc` on `:`, then on `,`, values trimmed). */
function parseMatcher(piece: string, route: string): Matcher {
  const fields = piece.split(':').filter((f) => f !== '');
  const written = (fields[0] ?? '').trim();
  if (!MATCHERS.includes(written)) {
    const what = written === '' ? 'an empty matcher' : `unknown v1 rule matcher "${written}"`;
    throw new RuleError(`${what} in "${route}"${written === '' ? '' : didYouMean(written, MATCHERS)}`);
  }
  const values = fields
    .slice(1)
    .join(':')
    .split(',')
    .filter((v) => v !== '')
    .map((v) => v.trim());
  if (values.length === 0) throw new RuleError(`v1 rule "${piece.trim()}" has no value`);
  return { name: written, values };
}

/** The modifier slots of one frontend (v1's `ServerRoute` fields: each assignment replaces the last). */
interface Modifiers {
  strip?: string[];
  stripRegex?: string[];
  addPrefix?: string;
  replacePath?: string;
  replacePathRegex?: string;
}

/**
 * Converts the rules of one frontend's routes (AND-ed together).
 *
 * @example convertV1Rules(['Host:a.test;PathPrefixStrip:/api']).rule === "Host(`a.test`) && PathPrefix(`/api`)"
 */
export function convertV1Rules(
  routes: readonly string[],
  opts: { strictSlash?: boolean } = {},
): ConvertedRule {
  const matchers: Matcher[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const slots: Modifiers = {};
  let priority = 0;
  for (const route of routes) {
    priority += Buffer.byteLength(route, 'utf8');
    try {
      if (route === '') throw new RuleError('empty rule');
      for (const piece of route.split(';')) {
        if (piece === '') continue;
        const matcher = parseMatcher(piece, route);
        // Validates, as v1 does when it builds the route; AddPrefix and the replacements only modify.
        if (matcherCondition(matcher.name, matcher.values) !== undefined) matchers.push(matcher);
        assignModifier(matcher.name, matcher.values, slots);
      }
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      errors.push(err.message);
    }
  }
  const modifiers = errors.length > 0 ? [] : modifiersOf(slots, warnings);
  // v3's Query matches any value of the parameter; v1 (gorilla/mux) only the first, as the v2 syntax does.
  const ruleSyntax = matchers.some((m) => m.name === 'Query') ? ('v2' as const) : undefined;
  const render = (list: Matcher[]) =>
    list.length === 0
      ? 'PathPrefix(`/`)'
      : list.map((m) => (ruleSyntax ? v2Condition : matcherCondition)(m.name, m.values)).join(' && ');
  const fullPaths = matchers.filter((m) => FULL_PATH.has(m.name)).length;
  const slashRedirects = errors.length > 0 || opts.strictSlash === false ? [] : strictSlash(matchers, render);
  if (fullPaths > 1)
    warnings.push(
      'several whole-path matchers: the trailing-slash redirects of Traefik 1.7 are not converted',
    );
  const out: ConvertedRule = {
    rule: render(matchers),
    modifiers,
    priority,
    warnings,
    errors,
    slashRedirects,
  };
  if (ruleSyntax) out.ruleSyntax = ruleSyntax;
  return out;
}

/**
 * The requests mux's strict slash redirects, for a rule with one whole-path matcher: its values with the
 * trailing slash toggled (`/` itself has no other form), the other matchers unchanged.
 */
function strictSlash(matchers: Matcher[], render: (list: Matcher[]) => string): SlashRedirect[] {
  const full = matchers.filter((m) => FULL_PATH.has(m.name));
  if (full.length !== 1) return [];
  const toggled = (addSlash: boolean): SlashRedirect[] => {
    const paths = full[0]!.values
      .filter((v) => v !== '/' && v.endsWith('/') === addSlash)
      .map((v) => (addSlash ? v.slice(0, -1) : `${v}/`));
    if (paths.length === 0) return [];
    const list = matchers.map((m) => (m === full[0] ? { name: 'Path', values: paths } : m));
    return [{ rule: render(list), addSlash }];
  };
  return [...toggled(false), ...toggled(true)];
}

/**
 * The same condition in Traefik's v2 rule syntax (gorilla/mux semantics: templates as written, Query on
 * the first value of each parameter), for frontends that need it.
 */
function v2Condition(name: string, values: string[]): string {
  const args = (list: string[]) => list.map(literal).join(', ');
  if (PATH_MATCHERS.has(name)) return `${FULL_PATH.has(name) ? 'Path' : 'PathPrefix'}(${args(values)})`;
  switch (name) {
    case 'Method':
      return `Method(${args(values.map((m) => m.toUpperCase()))})`;
    case 'Headers':
    case 'HeadersRegexp':
      return pairsOf(name, values)
        .map(([k, v]) => `${v === '' ? 'HeadersRegexp' : name}(${args([k, v === '' ? '.*' : v])})`)
        .join(' && ');
    case 'Query':
      return `Query(${args(
        pairsOf(
          name,
          values.flatMap((v) => v.split('=')),
        ).map(([k, v]) => `${k}=${v}`),
      )})`;
    default:
      return `${name}(${args(values)})`; // Host, HostRegexp
  }
}

function checkPaths(name: string, values: string[]): void {
  for (const value of values) {
    if (!value.startsWith('/'))
      throw new RuleError(`v1 rule "${name}:${values.join(',')}": a path must start with "/" ("${value}")`);
    if (!value.includes('{')) continue;
    try {
      compileTemplate(value, FULL_PATH.has(name) ? 'path' : 'pathPrefix');
    } catch (err) {
      throw new RuleError(`v1 rule "${name}:${values.join(',')}": ${errorMessage(err)}`);
    }
  }
  if ((STRIP as readonly string[]).includes(name) && values.some((v) => v.includes('{'))) {
    throw new RuleError(
      `v1 rule "${name}:${values.join(',')}": Traefik 1.7 strips such a prefix literally, never matches it ` +
        'and answers 404; use PathPrefixStripRegex for a {name:regexp} template',
    );
  }
}

/** Splits pair arguments (`K,v,K2,v2`) as gorilla/mux does; an odd count is an error. */
function pairsOf(name: string, flat: string[]): [string, string][] {
  if (flat.length % 2 !== 0)
    throw new RuleError(`v1 rule "${name}:${flat.join(',')}" needs name/value pairs`);
  // mux keeps them in a map: a repeated name keeps its last value.
  const map = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i] === '') throw new RuleError(`v1 rule "${name}:${flat.join(',')}" has an empty name`);
    map.set(flat[i]!, flat[i + 1]!);
  }
  return [...map];
}

function matcherCondition(name: string, values: string[]): string | undefined {
  if (PATH_MATCHERS.has(name)) {
    checkPaths(name, values);
    return or(values.map((p) => pathCondition(p, !FULL_PATH.has(name))));
  }
  switch (name) {
    case 'Host':
      return or(values.map((h) => `Host(${literal(h)})`));
    case 'HostRegexp':
      for (const h of values) {
        try {
          compileTemplate(h, 'host');
        } catch (err) {
          throw new RuleError(`v1 rule "HostRegexp:${values.join(',')}": ${errorMessage(err)}`);
        }
      }
      return or(values.map((h) => `HostRegexp(${literal(`(?i)${templateToRegex(h, '[^.]+', true)}`)})`));
    case 'Method':
      return or(values.map((m) => `Method(${literal(m.toUpperCase())})`));
    case 'Headers':
    case 'HeadersRegexp':
      // An empty value only requires the header to be present, in both.
      return pairsOf(name, values)
        .map(([k, v]) =>
          v === ''
            ? `HeaderRegexp(${literal(k)}, ${literal('.*')})`
            : `${name === 'Headers' ? 'Header' : 'HeaderRegexp'}(${literal(k)}, ${literal(v)})`,
        )
        .join(' && ');
    case 'Query':
      // v1 splits every value on `=` and pairs the pieces; every pair must match (values may be templates).
      return pairsOf(
        name,
        values.flatMap((v) => v.split('=')),
      )
        .map(([k, v]) => {
          if (v === '') return `QueryRegexp(${literal(k)}, ${literal('.*')})`;
          if (v.includes('{'))
            return `QueryRegexp(${literal(k)}, ${literal(templateToRegex(v, '.*', true))})`;
          return `Query(${literal(k)}, ${literal(v)})`;
        })
        .join(' && ');
    default:
      return undefined; // AddPrefix, ReplacePath, ReplacePathRegex only modify
  }
}

function assignModifier(name: string, values: string[], slots: Modifiers): void {
  const last = values.at(-1)!;
  if ((STRIP as readonly string[]).includes(name)) slots.strip = values;
  else if ((STRIP_REGEX as readonly string[]).includes(name)) slots.stripRegex = values;
  else if (name === 'AddPrefix') slots.addPrefix = last;
  else if (name === 'ReplacePath') slots.replacePath = last;
  else if (name === 'ReplacePathRegex') slots.replacePathRegex = last;
}

/** Longest first, as v1 sorts them (so `/api/v2` is stripped whole when `/api` is also listed). */
function longestFirst(values: string[]): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}

/** The slots → middlewares in the order v1 runs them. */
function modifiersOf(slots: Modifiers, warnings: string[]): V1Modifier[] {
  const out: V1Modifier[] = [];
  if (slots.stripRegex) {
    // v1 strips with a mux PathPrefix of each template, longest first (also for PathStripRegex).
    const regex = longestFirst(slots.stripRegex).map((v) => templateToRegex(v, '[^/]+', false));
    out.push({ kind: 'stripPrefixRegex', options: { regex } });
  }
  if (slots.strip) out.push({ kind: 'stripPrefix', options: { prefixes: longestFirst(slots.strip) } });
  if (slots.addPrefix !== undefined) out.push({ kind: 'addPrefix', options: { prefix: slots.addPrefix } });
  if (slots.replacePathRegex !== undefined) {
    // v1 splits on single spaces and wants exactly two parts; otherwise (or with an empty replacement)
    // it leaves the path alone.
    const parts = slots.replacePathRegex.split(' ');
    if (parts.length !== 2) {
      warnings.push(
        `v1 rule "ReplacePathRegex:${slots.replacePathRegex}" needs "<regex> <replacement>" separated by ` +
          'one space; Traefik 1.7 ignores it, and so does the conversion',
      );
    } else if (parts[1]!.trim() !== '' && validRegex(parts[0]!.trim(), warnings)) {
      out.push({
        kind: 'replacePathRegex',
        options: { regex: parts[0]!.trim(), replacement: parts[1]!.trim() },
      });
    }
  }
  if (slots.replacePath !== undefined)
    out.push({ kind: 'replacePath', options: { path: slots.replacePath } });
  return out;
}

/** v1 logs an invalid ReplacePathRegex regexp and leaves the path alone; v3 would refuse the router. */
function validRegex(regex: string, warnings: string[]): boolean {
  try {
    if (regex === '') throw new Error('empty regexp');
    compileGoRegex(regex);
    return true;
  } catch (err) {
    warnings.push(
      `v1 rule ReplacePathRegex: invalid regexp "${regex}" (${errorMessage(err)}); ignored, as in Traefik 1.7`,
    );
    return false;
  }
}
