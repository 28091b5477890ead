import type { TSchema } from '@sinclair/typebox';
import { recordParts } from './collections.js';
import { isDuration, isPlainObject, isSecret, kindOf } from './describe.js';

/** What a secret looks like once redacted. */
export const REDACTED = 'xxxx';

/**
 * A deep copy of `value` in which every value marked `Secret()` by the schema is replaced by `"xxxx"`, for
 * logs and the API. Keys are looked up case-insensitively, so raw input can be redacted too.
 *
 * @example redact(schema, { providers: { redis: { password: 'hunter2' } } }) // password: 'xxxx'
 */
export function redact<T>(schema: TSchema, value: T, opts: RedactOptions = {}): T {
  return redactValue(schema, value, opts) as T;
}

export interface RedactOptions {
  /** Rewrites every duration (milliseconds) too, e.g. into Go syntax for the API. */
  duration?: (ms: number) => unknown;
}

function redactValue(schema: TSchema, value: unknown, opts: RedactOptions): unknown {
  if (value === undefined) return value;
  if (isSecret(schema)) return REDACTED;
  if (opts.duration && typeof value === 'number' && isDuration(schema)) return opts.duration(value);
  switch (kindOf(schema)) {
    case 'Object':
      return isPlainObject(value) ? redactObject(schema, value, opts) : clone(value);
    case 'Record': {
      const parts = recordParts(schema);
      if (!parts || !isPlainObject(value)) return clone(value);
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, redactValue(parts.value, v, opts)]),
      );
    }
    case 'Array':
      if (!Array.isArray(value)) return clone(value);
      return value.map((item) => redactValue(schema.items as TSchema, item, opts));
    case 'Union':
      // Each member only rewrites the keys it declares secret, so applying all of them is safe.
      return (schema.anyOf as TSchema[]).reduce((v, member) => redactValue(member, v, opts), clone(value));
    default:
      return clone(value);
  }
}

function redactObject(
  schema: TSchema,
  value: Record<string, unknown>,
  opts: RedactOptions,
): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  const lower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), props[k]!]));
  const extra = isPlainObject(schema.additionalProperties)
    ? (schema.additionalProperties as TSchema)
    : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const propSchema = props[key] ?? lower.get(key.toLowerCase()) ?? extra;
    out[key] = propSchema ? redactValue(propSchema, v, opts) : clone(v);
  }
  return out;
}

function clone(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
