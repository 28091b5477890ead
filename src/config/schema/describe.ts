import { Kind, type TSchema } from '@sinclair/typebox';
import { DURATION, SECRET } from './kinds.js';

/** The schema's TypeBox kind (`Object`, `Record`, `String` …), or `Unknown` for plain JSON Schema. */
export function kindOf(schema: TSchema): string {
  return (schema as { [Kind]?: string })[Kind] ?? 'Unknown';
}

/** True when the schema is a `Duration()` (milliseconds in the normalized value). */
export function isDuration(schema: TSchema): boolean {
  return (schema as Record<string, unknown>)[DURATION] === true;
}

/** True when the schema is a `Secret()`. */
export function isSecret(schema: TSchema): boolean {
  return (schema as Record<string, unknown>)[SECRET] === true;
}

/** True for a plain object (not an array, not null, not a Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Literal values of a union of literals (an enum), or undefined when the schema is something else. */
export function enumValues(schema: TSchema): unknown[] | undefined {
  const kind = kindOf(schema);
  if (kind === 'Literal') return [schema.const];
  if (kind !== 'Union') return undefined;
  const members = schema.anyOf as TSchema[];
  if (!members.every((m) => kindOf(m) === 'Literal')) return undefined;
  return members.map((m) => m.const);
}

/** What a value of this schema looks like, for "expected …" messages. */
export function describeSchema(schema: TSchema): string {
  if (isDuration(schema)) return 'a duration (e.g. "60s")';
  const literals = enumValues(schema);
  if (literals) return `one of ${literals.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (kindOf(schema)) {
    case 'String':
      return 'a string';
    case 'Integer':
      return 'an integer';
    case 'Number':
      return 'a number';
    case 'Boolean':
      return 'a boolean (true or false)';
    case 'Array':
      return 'a list';
    case 'Object':
      return 'an object';
    case 'Record':
      return 'a map of names to values';
    case 'Union':
      return unique((schema.anyOf as TSchema[]).map(describeSchema)).join(' or ');
    case 'Null':
      return 'null';
    default:
      return 'a value';
  }
}

/** What was given, for "got …" messages; secrets are never echoed. */
export function describeValue(value: unknown, secret = false): string {
  if (secret) return 'a secret value';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
