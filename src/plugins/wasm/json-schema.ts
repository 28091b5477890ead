import { type TSchema, Type } from '@sinclair/typebox';

/**
 * A TypeBox schema from the JSON Schema a wasm plugin's manifest declares for its options
 * (`optionsSchema`), so its options are checked, normalized and reported like a built-in's. Supported:
 * `type` object (properties, required, additionalProperties), array (items), string, number, integer,
 * boolean; `enum`, `default`, `minimum`, `maximum`, `minLength`, `maxLength`, `description`. Throws an
 * Error naming the path of anything else.
 */
export function fromJsonSchema(schema: unknown, path = 'optionsSchema'): TSchema {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new Error(`${path} must be an object (a JSON Schema)`);
  }
  const s = schema as Record<string, unknown>;
  const keep = pick(s, ['default', 'description', 'minimum', 'maximum', 'minLength', 'maxLength']);
  if (Array.isArray(s.enum)) {
    const literals = s.enum.map((v, i) => {
      if (!['string', 'number', 'boolean'].includes(typeof v))
        throw new Error(`${path}.enum[${i}] must be a scalar`);
      return Type.Literal(v as string | number | boolean);
    });
    return Type.Union(literals, keep);
  }
  switch (s.type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const out: Record<string, TSchema> = {};
      for (const [key, sub] of Object.entries(props)) {
        const t = fromJsonSchema(sub, `${path}.properties.${key}`);
        out[key] = required.has(key) ? t : Type.Optional(t);
      }
      const extra = s.additionalProperties;
      const additionalProperties =
        extra === undefined || extra === true
          ? Object.keys(props).length === 0
          : extra === false
            ? false
            : fromJsonSchema(extra, `${path}.additionalProperties`);
      return Type.Object(out, { ...keep, additionalProperties });
    }
    case 'array':
      return Type.Array(
        s.items === undefined ? Type.Unknown() : fromJsonSchema(s.items, `${path}.items`),
        keep,
      );
    case 'string':
      return Type.String(keep);
    case 'number':
      return Type.Number(keep);
    case 'integer':
      return Type.Integer(keep);
    case 'boolean':
      return Type.Boolean(keep);
    default:
      throw new Error(`${path}.type must be one of object, array, string, number, integer, boolean`);
  }
}

function pick(s: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

/** The options schema of a wasm plugin that declares none: any object. */
export const ANY_OPTIONS = Type.Record(Type.String(), Type.Unknown());
