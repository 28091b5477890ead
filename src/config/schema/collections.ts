import { type TSchema, Type } from '@sinclair/typebox';
import { describeSchema, describeValue, enumValues, isPlainObject, kindOf } from './describe.js';
import { CSV } from './kinds.js';
import { SCALAR_KINDS } from './scalars.js';
import { type At, child, type PathSegment, type WalkContext, type Walker } from './walk-context.js';

const ANY_NAME = '^(.*)$';

/** The value schema of a `Type.Record(…)` and its key pattern. */
export function recordParts(schema: TSchema): { pattern: string; value: TSchema } | undefined {
  const patterns = schema.patternProperties as Record<string, TSchema> | undefined;
  const first = patterns && Object.entries(patterns)[0];
  if (first) return { pattern: first[0], value: first[1] };
  if (isPlainObject(schema.additionalProperties)) {
    return { pattern: ANY_NAME, value: schema.additionalProperties as TSchema };
  }
  return undefined;
}

/** A map of user-chosen names (routers, entrypoints …): keys are kept exactly as written. */
export function walkRecord(schema: TSchema, input: unknown, at: At, ctx: WalkContext, walk: Walker): unknown {
  if (input === null || input === true || input === '') input = {};
  if (!isPlainObject(input)) {
    ctx.report(at, 'CONFIG_TYPE', `expected ${describeSchema(schema)}, got ${describeValue(input)}`);
    return undefined;
  }
  const parts = recordParts(schema);
  if (!parts) return structuredClone(input);
  const namePattern = parts.pattern === ANY_NAME ? undefined : new RegExp(parts.pattern);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const at2 = child(at, key);
    if (key === '__proto__') {
      ctx.report(at2, 'CONFIG_INVALID', 'the name "__proto__" is reserved');
      continue;
    }
    if (namePattern && !namePattern.test(key)) {
      ctx.report(at2, 'CONFIG_INVALID', `invalid name "${key}" (must match ${parts.pattern})`);
      continue;
    }
    const converted = walk(parts.value, value, at2, ctx);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/**
 * A list. Besides a real list it accepts an object with numeric keys (`{ "0": a, "1": b }`, how flags, env
 * and KV spell lists) and, for `StringList()` or any list of scalars when `fromStrings` is set, `"a,b"`.
 */
export function walkArray(schema: TSchema, input: unknown, at: At, ctx: WalkContext, walk: Walker): unknown {
  const items = (schema.items as TSchema | undefined) ?? Type.Unknown();
  const entries = listEntries(schema, items, input, ctx);
  if (!entries) {
    ctx.report(at, 'CONFIG_TYPE', `expected ${describeSchema(schema)}, got ${describeValue(input)}`);
    return undefined;
  }
  const out: unknown[] = [];
  for (const [rawKey, value] of entries) {
    const converted = walk(items, value, child(at, out.length, rawKey), ctx);
    if (converted !== undefined) out.push(converted);
  }
  if (typeof schema.minItems === 'number' && out.length < schema.minItems) {
    ctx.report(at, 'CONFIG_INVALID', `needs at least ${schema.minItems} item(s), got ${out.length}`);
  }
  return out;
}

function listEntries(
  schema: TSchema,
  items: TSchema,
  input: unknown,
  ctx: WalkContext,
): [PathSegment, unknown][] | undefined {
  if (Array.isArray(input)) return input.map((v, i) => [i, v]);
  if (typeof input === 'string' && splitsStrings(schema, items, ctx)) {
    return input
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part, i) => [i, part]);
  }
  if (isPlainObject(input)) {
    const keys = Object.keys(input);
    if (!keys.every((k) => /^\d+$/.test(k))) return undefined;
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => [k, input[k]]);
  }
  return undefined;
}

function splitsStrings(schema: TSchema, items: TSchema, ctx: WalkContext): boolean {
  if ((schema as Record<string, unknown>)[CSV] === true) return true;
  return ctx.fromStrings && (SCALAR_KINDS.has(kindOf(items)) || enumValues(items) !== undefined);
}
