import type { TSchema } from '@sinclair/typebox';
import { parseDuration } from '../../core/duration.js';
import { describeSchema, describeValue, enumValues, isDuration, isSecret, kindOf } from './describe.js';

/** Outcome of converting one scalar: the value, or a message and whether it is a type or range problem. */
export type ScalarResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; code: 'CONFIG_TYPE' | 'CONFIG_INVALID' };

const TRUE_WORDS = new Set(['true', 't', '1']);
const FALSE_WORDS = new Set(['false', 'f', '0']);

/** Kinds `convertScalar` handles. */
export const SCALAR_KINDS = new Set(['String', 'Number', 'Integer', 'Boolean', 'Literal']);

/**
 * Converts a scalar input to what the schema asks for. Strings are always accepted for numbers, integers,
 * booleans and durations (flags, env, KV and labels only carry strings, and Traefik accepts `weight: "3"` in
 * files too); numbers and booleans are accepted for strings. Durations become milliseconds.
 */
export function convertScalar(schema: TSchema, input: unknown): ScalarResult {
  const literals = enumValues(schema);
  if (literals) return convertEnum(schema, literals, input);
  let value: unknown;
  switch (kindOf(schema)) {
    case 'String':
      value = toText(input);
      break;
    case 'Boolean':
      value = toBoolean(input);
      break;
    case 'Integer':
      value = toNumber(input);
      if (value !== undefined && !Number.isInteger(value)) value = undefined;
      break;
    case 'Number':
      value = isDuration(schema) ? toDuration(input) : toNumber(input);
      break;
    default:
      return { ok: true, value: input };
  }
  if (value === undefined) return typeError(schema, input);
  return checkBounds(schema, value, input);
}

function typeError(schema: TSchema, input: unknown): ScalarResult {
  const message = `expected ${describeSchema(schema)}, got ${describeValue(input, isSecret(schema))}`;
  return { ok: false, message, code: 'CONFIG_TYPE' };
}

function convertEnum(schema: TSchema, literals: unknown[], input: unknown): ScalarResult {
  const text = toText(input);
  if (text === undefined) return typeError(schema, input);
  // An empty string is Go's zero value, which Traefik reads as "the default" (`keyType: ""` is RSA4096).
  if (text.trim() === '' && 'default' in schema) return { ok: true, value: structuredClone(schema.default) };
  // Traefik compares enum-like options (log level, strategies) without regard to case.
  const hit = literals.find((l) => String(l).toLowerCase() === text.trim().toLowerCase());
  return hit === undefined ? typeError(schema, input) : { ok: true, value: hit };
}

function toText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint')
    return String(input);
  if (input instanceof Date) return input.toISOString();
  return undefined;
}

function toBoolean(input: unknown): boolean | undefined {
  if (typeof input === 'boolean') return input;
  if (typeof input !== 'string') return undefined;
  const word = input.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

function toNumber(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input === 'bigint') return Number(input);
  if (typeof input !== 'string') return undefined;
  const text = input.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return undefined;
  return Number(text);
}

function toDuration(input: unknown): number | undefined {
  if (typeof input === 'bigint') return parseDuration(Number(input));
  return parseDuration(input);
}

function checkBounds(schema: TSchema, value: unknown, input: unknown): ScalarResult {
  const problem = typeof value === 'number' ? numberProblem(schema, value) : textProblem(schema, value);
  if (!problem) return { ok: true, value };
  return {
    ok: false,
    message: `${problem}, got ${describeValue(input, isSecret(schema))}`,
    code: 'CONFIG_INVALID',
  };
}

function numberProblem(schema: TSchema, value: number): string | undefined {
  const unit = isDuration(schema) ? 'ms' : '';
  if (typeof schema.minimum === 'number' && value < schema.minimum)
    return `must be at least ${schema.minimum}${unit}`;
  if (typeof schema.maximum === 'number' && value > schema.maximum)
    return `must be at most ${schema.maximum}${unit}`;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
    return `must be more than ${schema.exclusiveMinimum}${unit}`;
  }
  return undefined;
}

function textProblem(schema: TSchema, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
    return schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`;
  }
  if (typeof schema.pattern === 'string' && !patternOf(schema).test(value)) {
    // `errorMessage` (the ajv-errors convention) says in words what the pattern means.
    return typeof schema.errorMessage === 'string' ? schema.errorMessage : `must match ${schema.pattern}`;
  }
  return undefined;
}

const patterns = new WeakMap<TSchema, RegExp>();

function patternOf(schema: TSchema): RegExp {
  let re = patterns.get(schema);
  if (!re) {
    re = new RegExp(schema.pattern as string);
    patterns.set(schema, re);
  }
  return re;
}
