import { type NumberOptions, type TSchema, Type } from '@sinclair/typebox';

/**
 * Schema building blocks shared by the static and dynamic configuration. Schemas are plain TypeBox (JSON
 * Schema) objects; `normalize()` walks them to match keys case-insensitively, convert strings from flags,
 * env, KV and labels, apply defaults and report errors with a path. Markers below are read by it.
 */

/** Marker: value is a duration; input is Go syntax or bare seconds, normalized to milliseconds. */
export const DURATION = 'x-duration';
/** Marker: value is a secret; redacted before config is logged or served. */
export const SECRET = 'x-secret';
/** Marker on an object schema: at most one of its properties may be set (a "kind" choice). */
export const ONE_OF_KEYS = 'x-one-of-keys';
/** Marker on a string array: a comma-separated string is accepted and split (flags, env, labels). */
export const CSV = 'x-csv';

/** A duration in milliseconds. `Duration({ default: 30_000 })`. */
export function Duration(options: NumberOptions = {}) {
  return Type.Number({ ...options, [DURATION]: true });
}

/** A string that must never be logged or served. */
export function Secret(options: Parameters<typeof Type.String>[0] = {}) {
  return Type.String({ ...options, [SECRET]: true });
}

/** A list of strings that also accepts `a,b,c`. */
export function StringList(options: Parameters<typeof Type.Array>[1] = {}) {
  return Type.Array(Type.String(), { ...options, [CSV]: true });
}

/** An object of which at most one property may be present, e.g. a service kind. */
export function OneOfKeys<T extends Parameters<typeof Type.Object>[0]>(properties: T) {
  return Type.Object(properties, { [ONE_OF_KEYS]: true, additionalProperties: false });
}

export type { TSchema };
