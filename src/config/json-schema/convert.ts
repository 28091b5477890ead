import type { TSchema } from '@sinclair/typebox';
import { formatDuration } from '../../core/duration.js';
import { enumValues, isDuration, isPlainObject, isSecret, kindOf } from '../schema/describe.js';
import { ONE_OF_KEYS } from '../schema/kinds.js';

/** A JSON Schema (draft-07) as plain data, ready for `JSON.stringify`. */
export type JsonSchema = { [key: string]: unknown };

/** `$comment` values the reference renderer reads back (editors and validators ignore `$comment`). */
export const DURATION_COMMENT = 'duration';
export const SECRET_COMMENT = 'secret';

/** Go duration syntax, or a bare number of seconds, as `parseDuration` reads them. */
const DURATION_PATTERN = '^\\s*[-+]?((\\d+(\\.\\d+)?)|((\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+))\\s*$';

/** Annotations copied as they are from the TypeBox schema. */
const ANNOTATIONS = ['title', 'description', 'examples', 'deprecated'] as const;

/**
 * Converts one of the validator's TypeBox schemas to the JSON Schema editors read. It describes the
 * canonical form of a configuration: Traefik's key spelling (the validator also takes other cases),
 * lists as lists (the validator also splits `a,b` from flags and labels), and durations as Go syntax or
 * seconds. Defaults are shown as written in a file (`30s`, not milliseconds). An object section may be
 * left empty (`ping:` in YAML), as the validator allows.
 */
export function toJsonSchema(schema: TSchema): JsonSchema {
  const out = convertBody(schema);
  for (const key of ANNOTATIONS) if (schema[key] !== undefined) out[key] = structuredClone(schema[key]);
  if (isSecret(schema)) out.$comment = SECRET_COMMENT;
  if ('default' in schema) out.default = defaultOf(schema);
  return out;
}

function convertBody(schema: TSchema): JsonSchema {
  if (isDuration(schema)) {
    return { type: ['string', 'number'], pattern: DURATION_PATTERN, $comment: DURATION_COMMENT };
  }
  const literals = enumValues(schema);
  if (literals) return { enum: literals };
  switch (kindOf(schema)) {
    case 'String':
      return copy(schema, { type: 'string' }, ['minLength', 'maxLength', 'pattern', 'format']);
    case 'Integer':
    case 'Number':
      return copy(schema, { type: kindOf(schema) === 'Integer' ? 'integer' : 'number' }, [
        'minimum',
        'maximum',
        'exclusiveMinimum',
        'exclusiveMaximum',
      ]);
    case 'Boolean':
      return { type: 'boolean' };
    case 'Null':
      return { type: 'null' };
    case 'Array':
      return copy(schema, { type: 'array', items: toJsonSchema(schema.items as TSchema) }, [
        'minItems',
        'maxItems',
      ]);
    case 'Object':
      return convertObject(schema);
    case 'Record':
      return convertRecord(schema);
    case 'Union':
      return { anyOf: (schema.anyOf as TSchema[]).map(toJsonSchema) };
    default:
      return {};
  }
}

function convertObject(schema: TSchema): JsonSchema {
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  // A key with a default may be left out, whatever TypeBox's `required` says.
  const required = ((schema.required as string[] | undefined) ?? []).filter((k) => !('default' in props[k]!));
  const out: JsonSchema = {
    type: required.length === 0 ? ['object', 'null'] : 'object',
    properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toJsonSchema(v)])),
  };
  if (required.length > 0) out.required = [...required];
  out.additionalProperties = extra(schema.additionalProperties);
  if ((schema as Record<string, unknown>)[ONE_OF_KEYS]) out.maxProperties = 1;
  return out;
}

function convertRecord(schema: TSchema): JsonSchema {
  const patterns = schema.patternProperties as Record<string, TSchema> | undefined;
  const out: JsonSchema = { type: ['object', 'null'] };
  const first = patterns && Object.entries(patterns)[0];
  if (first && first[0] !== '^(.*)$') {
    out.patternProperties = { [first[0]]: toJsonSchema(first[1]) };
    out.additionalProperties = false;
  } else if (first) {
    out.additionalProperties = toJsonSchema(first[1]);
  } else {
    out.additionalProperties = extra(schema.additionalProperties);
  }
  return out;
}

function extra(value: unknown): JsonSchema | boolean {
  if (value === true) return true;
  if (isPlainObject(value)) return toJsonSchema(value as TSchema);
  return false;
}

function copy(schema: TSchema, out: JsonSchema, keys: string[]): JsonSchema {
  for (const key of keys) if (schema[key] !== undefined) out[key] = schema[key];
  return out;
}

/** A default as a user would write it: durations in Go syntax, nested durations too. */
function defaultOf(schema: TSchema): unknown {
  const value = schema.default as unknown;
  if (isDuration(schema) && typeof value === 'number') return formatDuration(value);
  if (isPlainObject(value) && kindOf(schema) === 'Object') {
    const props = (schema.properties ?? {}) as Record<string, TSchema>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const prop = props[k];
      out[k] = prop ? defaultOf({ ...prop, default: v }) : structuredClone(v);
    }
    return out;
  }
  return structuredClone(value);
}
