import type { TSchema } from '@sinclair/typebox';
import type { Declaration, Lookup } from '../../core/registry.js';
import { didYouMean } from '../../core/suggest.js';
import { describeValue, isPlainObject } from '../schema/describe.js';
import type { ConfigIssue } from '../schema/issues.js';
import { normalize, type PathSegment } from '../schema/normalize.js';
import type { MiddlewareConfig } from './index.js';

/** Maps a path in a provider's raw tree (keys as written) to where it came from, e.g. `dyn/a.yml:12:5`. */
export type Locate = (path: readonly PathSegment[]) => string | undefined;

/** A problem with one element, before the element name is attached. */
export interface Problem {
  message: string;
  source?: string;
}

/** The element's normalized value, or why it is left out. */
export type ElementResult<T = unknown> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** What element validation needs besides the element. */
export interface ElementContext {
  locate?: Locate | undefined;
  fromStrings?: boolean | undefined;
}

/** What the validator needs from a middleware registry (`Registry<MiddlewareDefinition>` fits). */
export type MiddlewareLookup = Lookup<Declaration>;

/**
 * Normalizes one element against its schema. `path` is where the element sits in the raw tree, used to
 * locate problems; messages are relative to the element (`rule: expected a string, got 42`).
 */
/** Traefik's HTTP and TCP middleware types, to tell "not built yet" from a typo. */
const TRAEFIK_MIDDLEWARES = [
  'addPrefix',
  'basicAuth',
  'buffering',
  'chain',
  'circuitBreaker',
  'compress',
  'contentType',
  'digestAuth',
  'encodedCharacters',
  'errors',
  'forwardAuth',
  'grpcWeb',
  'headers',
  'ipAllowList',
  'ipWhiteList',
  'inFlightReq',
  'passTLSClientCert',
  'plugin',
  'rateLimit',
  'redirectRegex',
  'redirectScheme',
  'replacePath',
  'replacePathRegex',
  'retry',
  'stripPrefix',
  'stripPrefixRegex',
  'inFlightConn',
];

export function validateElement<T = unknown>(
  schema: TSchema,
  raw: unknown,
  path: readonly PathSegment[],
  ctx: ElementContext,
): ElementResult<T> {
  const { locate } = ctx;
  const result = normalize(schema, raw, {
    fromStrings: ctx.fromStrings,
    locate: locate && ((rel) => locate([...path, ...rel])),
  });
  if (result.issues.length === 0) return { ok: true, value: result.value as T };
  return { ok: false, problems: result.issues.map((issue) => toProblem(issue, path, ctx)) };
}

/**
 * A service: exactly one kind (`loadBalancer`, `weighted` …; every schema property but `middlewares`).
 * Two kinds are an error naming both, as is none.
 */
export function validateService(
  schema: TSchema,
  raw: unknown,
  path: readonly PathSegment[],
  ctx: ElementContext,
): ElementResult {
  const kinds = Object.keys(schema.properties ?? {}).filter((k) => k !== 'middlewares');
  const result = validateElement(schema, raw, path, ctx);
  const problems = result.ok ? [] : [...result.problems];
  const given = isPlainObject(raw)
    ? Object.keys(raw)
        .map((key) => kinds.find((k) => k.toLowerCase() === key.toLowerCase()))
        .filter((k): k is string => k !== undefined)
    : [];
  if (given.length > 1) {
    problems.unshift({
      message: `a service has exactly one kind, but ${listOf(given)} are given; declare two services instead`,
      source: ctx.locate?.(path),
    });
  } else if (given.length === 0 && problems.length === 0) {
    problems.push({
      message: `the service has no kind: give one of ${listOf(kinds, 'or')}`,
      source: ctx.locate?.(path),
    });
  }
  return problems.length ? { ok: false, problems } : result;
}

/**
 * A middleware: a mapping with exactly one key, the middleware type, looked up case-insensitively in the
 * registry; its options are normalized against that type's schema.
 */
export function validateMiddleware(
  lookup: MiddlewareLookup,
  raw: unknown,
  path: readonly PathSegment[],
  ctx: ElementContext,
): ElementResult<MiddlewareConfig> {
  const fail = (message: string, at: readonly PathSegment[] = path): ElementResult<MiddlewareConfig> => ({
    ok: false,
    problems: [{ message, source: ctx.locate?.(at) }],
  });
  if (!isPlainObject(raw))
    return fail(`a middleware must be a mapping with its type as key, got ${describeValue(raw)}`);
  const keys = Object.keys(raw);
  if (keys.length === 0) return fail('the middleware has no type (e.g. "stripPrefix: {…}")');
  if (keys.length > 1) return fail(`a middleware has exactly one type, but ${listOf(keys)} are given`);
  let key = keys[0]!;
  let value = raw[key];
  let at: readonly PathSegment[] = [...path, key];
  if (key.toLowerCase() === 'plugin') {
    // `plugin: { <name>: { …options } }`: the plugin registered as `plugin.<name>` (src/plugins/load.ts).
    if (!isPlainObject(value) || Object.keys(value).length !== 1)
      return fail(
        '"plugin" must hold exactly one plugin name with its options, e.g. "plugin: { myPlugin: {…} }"',
        at,
      );
    const name = Object.keys(value)[0]!;
    at = [...at, name];
    value = value[name];
    key = `plugin.${name}`;
    if (!lookup.get(key)) {
      const plugins = lookup
        .keys()
        .filter((k) => k.startsWith('plugin.'))
        .map((k) => k.slice(7));
      return fail(
        `unknown plugin "${name}"${didYouMean(name, plugins)}: declare it in the static configuration under experimental.localPlugins`,
        at,
      );
    }
  }
  const def = lookup.get(key);
  const canonical = lookup.canonical(key);
  if (!def || canonical === undefined) {
    const traefik = TRAEFIK_MIDDLEWARES.find((m) => m.toLowerCase() === key.toLowerCase());
    if (traefik) return fail(`middleware type "${traefik}" is not supported yet`, [...path, key]);
    return fail(`unknown middleware type "${key}"${didYouMean(key, lookup.keys())}`, [...path, key]);
  }
  const options = validateElement(def.schema, value, at, ctx);
  if (!options.ok) return options;
  return { ok: true, value: { type: canonical, options: options.value } };
}

/** `"a" and "b"`, `"a", "b" and "c"`. */
export function listOf(items: readonly string[], last = 'and'): string {
  const quoted = items.map((i) => `"${i}"`);
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ${last} ${quoted.at(-1)}`;
}

function toProblem(issue: ConfigIssue, path: readonly PathSegment[], ctx: ElementContext): Problem {
  // Unknown-key messages already quote the key; a missing key is named by its path in the element; other
  // messages get the key they are about.
  let message = issue.message;
  if (issue.code === 'CONFIG_MISSING' && issue.path) message = `missing required key "${issue.path}"`;
  else if (issue.path && issue.code !== 'CONFIG_UNKNOWN_KEY') message = `${issue.path}: ${issue.message}`;
  return { message, source: issue.source ?? ctx.locate?.(path) };
}
