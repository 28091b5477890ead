import type { Static, TSchema } from '@sinclair/typebox';
import { didYouMean } from '../../core/suggest.js';
import { walkArray, walkRecord } from './collections.js';
import { describeSchema, describeValue, enumValues, isPlainObject, kindOf } from './describe.js';
import type { ConfigIssue } from './issues.js';
import { ONE_OF_KEYS } from './kinds.js';
import { convertScalar, SCALAR_KINDS } from './scalars.js';
import { type At, child, type NormalizeOptions, WalkContext } from './walk-context.js';

export type { NormalizeOptions, PathSegment } from './walk-context.js';

/** Result of `normalize()`: the converted value (defaults applied) and every problem found. */
export interface NormalizeResult<T> {
  value: T;
  issues: ConfigIssue[];
}

/**
 * Walks `input` along a TypeBox schema and returns a value of the schema's type with defaults applied,
 * plus the issues found. Object keys match the schema's property names case-insensitively and come out
 * under the canonical name; record keys (user-chosen names) stay as written. Strings are converted to
 * numbers, booleans and durations (milliseconds); lists also accept `{ "0": …, "1": … }` and, for
 * `StringList()` or with `fromStrings`, `"a,b"`; an object key given `true`, `"true"`, `""` or null is
 * an empty object (enabled with defaults), `false` leaves it out. The value is best effort when there are
 * issues: invalid parts are left out.
 *
 * @example
 * const { value, issues } = normalize(staticSchema, { entrypoints: { web: { Address: ':80' } } });
 * // value.entryPoints.web.address === ':80'
 */
export function normalize<T extends TSchema>(
  schema: T,
  input: unknown,
  opts: NormalizeOptions = {},
): NormalizeResult<Static<T>> {
  const ctx = new WalkContext(opts);
  const start: At = { canon: [...(opts.prefix ?? [])], raw: [...(opts.prefix ?? [])] };
  let value = walk(schema, input, start, ctx);
  if (value === undefined) value = fillDefault(schema, start, ctx);
  return { value: value as Static<T>, issues: ctx.issues };
}

/** Walks one subtree; undefined means "leave the key out". */
function walk(schema: TSchema, input: unknown, at: At, ctx: WalkContext): unknown {
  if (input === undefined) return undefined;
  const kind = kindOf(schema);
  if (enumValues(schema) || SCALAR_KINDS.has(kind)) return walkScalar(schema, input, at, ctx);
  switch (kind) {
    case 'Object':
      return walkObject(schema, input, at, ctx);
    case 'Record':
      return walkRecord(schema, input, at, ctx, walk);
    case 'Array':
      return walkArray(schema, input, at, ctx, walk);
    case 'Union':
      return walkUnion(schema, input, at, ctx);
    case 'Null':
      if (input !== null) ctx.report(at, 'CONFIG_TYPE', `expected null, got ${describeValue(input)}`);
      return input === null ? null : undefined;
    default:
      return input;
  }
}

/**
 * The schema's default for an absent key. Defaults are given in normalized form (milliseconds for
 * durations); an object default is completed with its properties' own defaults.
 */
function fillDefault(schema: TSchema, at: At, ctx: WalkContext): unknown {
  if (!('default' in schema)) return undefined;
  const value = structuredClone(schema.default);
  if (isPlainObject(value) && kindOf(schema) === 'Object') return walkObject(schema, value, at, ctx);
  return value;
}

function walkScalar(schema: TSchema, input: unknown, at: At, ctx: WalkContext): unknown {
  if (input === null) return undefined; // `key:` with nothing after it in YAML: treated as absent
  if (typeof input === 'object' && !(input instanceof Date)) {
    ctx.report(at, 'CONFIG_TYPE', `expected ${describeSchema(schema)}, got ${describeValue(input)}`);
    return undefined;
  }
  const result = convertScalar(schema, input);
  if (result.ok) return result.value;
  ctx.report(at, result.code, result.message);
  return undefined;
}

const keyIndexes = new WeakMap<TSchema, Map<string, string>>();

/** Lower-cased property name → canonical name, built once per schema. */
function keyIndex(schema: TSchema): Map<string, string> {
  let index = keyIndexes.get(schema);
  if (!index) {
    index = new Map(Object.keys(schema.properties ?? {}).map((k) => [k.toLowerCase(), k]));
    keyIndexes.set(schema, index);
  }
  return index;
}

/** `true`, `"true"`, `""` and null enable an object section; `false` disables it. */
function objectInput(input: unknown): unknown {
  if (input === null || input === true || input === '') return {};
  if (typeof input === 'string' && input.trim().toLowerCase() === 'true') return {};
  if (input === false || (typeof input === 'string' && input.trim().toLowerCase() === 'false')) return false;
  return input;
}

function walkObject(schema: TSchema, input: unknown, at: At, ctx: WalkContext): unknown {
  input = objectInput(input);
  if (input === false) return undefined;
  if (!isPlainObject(input)) {
    ctx.report(at, 'CONFIG_TYPE', `expected ${describeSchema(schema)}, got ${describeValue(input)}`);
    return undefined;
  }
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  const index = keyIndex(schema);
  const extra = schema.additionalProperties as TSchema | boolean | undefined;
  const out: Record<string, unknown> = {};
  const given = new Map<string, string>(); // canonical → raw spelling
  const failed = new Set<string>();
  for (const [rawKey, value] of Object.entries(input)) {
    const canon = index.get(rawKey.toLowerCase());
    const at2 = child(at, canon ?? rawKey, rawKey);
    if (rawKey === '__proto__') {
      ctx.report(at2, 'CONFIG_INVALID', 'the name "__proto__" is reserved');
      continue;
    }
    if (canon === undefined) {
      if (extra === true) out[rawKey] = structuredClone(value);
      else if (isPlainObject(extra)) setDefined(out, rawKey, walk(extra, value, at2, ctx));
      else ctx.report(at2, 'CONFIG_UNKNOWN_KEY', unknownKey(at2, rawKey, props));
      continue;
    }
    const previous = given.get(canon);
    if (previous !== undefined) {
      ctx.report(at2, 'CONFIG_INVALID', `key "${canon}" is given twice (as "${previous}" and "${rawKey}")`);
      continue;
    }
    given.set(canon, rawKey);
    const before = ctx.issues.length;
    setDefined(out, canon, walk(props[canon]!, value, at2, ctx));
    if (ctx.issues.length > before) failed.add(canon);
  }
  if ((schema as Record<string, unknown>)[ONE_OF_KEYS]) checkOneOf(out, at, ctx);
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  for (const [name, propSchema] of Object.entries(props)) {
    if (out[name] !== undefined || failed.has(name)) continue;
    const at2 = child(at, name, given.get(name) ?? name);
    const value = fillDefault(propSchema, at2, ctx);
    if (value !== undefined) out[name] = value;
    else if (required.has(name)) ctx.report(at2, 'CONFIG_MISSING', `missing required key "${name}"`);
  }
  return out;
}

function setDefined(out: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function unknownKey(at: At, rawKey: string, props: Record<string, TSchema>): string {
  return `unknown key "${at.raw.join('.')}"${didYouMean(rawKey, Object.keys(props))}`;
}

function checkOneOf(out: Record<string, unknown>, at: At, ctx: WalkContext): void {
  const set = Object.keys(out).filter((k) => out[k] !== undefined);
  if (set.length < 2) return;
  const names = set.map((k) => `"${k}"`);
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  ctx.report(at, 'CONFIG_INVALID', `only one of ${list} may be set`);
}

function walkUnion(schema: TSchema, input: unknown, at: At, ctx: WalkContext): unknown {
  let best: { value: unknown; issues: ConfigIssue[] } | undefined;
  for (const member of schema.anyOf as TSchema[]) {
    const trial = new WalkContext(ctx.options);
    const value = walk(member, input, at, trial);
    if (trial.issues.length === 0) return value;
    if (sameShape(member, input) && (!best || trial.issues.length < best.issues.length)) {
      best = { value, issues: trial.issues };
    }
  }
  if (best) {
    ctx.issues.push(...best.issues);
    return best.value;
  }
  ctx.report(at, 'CONFIG_TYPE', `expected ${describeSchema(schema)}, got ${describeValue(input)}`);
  return undefined;
}

/** Whether the input has the member's overall shape, to pick which member's errors to show. */
function sameShape(member: TSchema, input: unknown): boolean {
  const kind = kindOf(member);
  if (kind === 'Object' || kind === 'Record') return isPlainObject(input);
  if (kind === 'Array') return Array.isArray(input);
  return input === null || typeof input !== 'object';
}
