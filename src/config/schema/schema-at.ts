import type { TSchema } from '@sinclair/typebox';
import { recordParts } from './collections.js';
import { isPlainObject, kindOf } from './describe.js';
import type { PathSegment } from './walk-context.js';

/**
 * The sub-schema at a path written the way users write keys (any case; list positions as numbers or
 * digit strings), or undefined when the path leads nowhere. Flag and label parsers use it to learn a
 * key's type before normalizing.
 *
 * @example kindOf(schemaAt(staticSchema, ['entrypoints', 'web', 'address'])!) === 'String'
 */
export function schemaAt(schema: TSchema, path: readonly PathSegment[]): TSchema | undefined {
  let current: TSchema | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    current = step(current, String(segment));
  }
  return current;
}

function step(schema: TSchema, key: string): TSchema | undefined {
  switch (kindOf(schema)) {
    case 'Object': {
      const props = (schema.properties ?? {}) as Record<string, TSchema>;
      const lower = key.toLowerCase();
      const canon = Object.keys(props).find((k) => k.toLowerCase() === lower);
      if (canon) return props[canon];
      return isPlainObject(schema.additionalProperties)
        ? (schema.additionalProperties as TSchema)
        : undefined;
    }
    case 'Record':
      return recordParts(schema)?.value;
    case 'Array':
      return /^\d+$/.test(key) ? (schema.items as TSchema) : undefined;
    case 'Union':
      for (const member of schema.anyOf as TSchema[]) {
        const found = step(member, key);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}
