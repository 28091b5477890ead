import {
  boolCoreTag,
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  floatCoreTag,
  intCoreTag,
  load,
  mergeTag,
  NOT_RESOLVED,
  nullCoreTag,
  type ScalarTagDefinition,
  strTag,
} from 'js-yaml';

/**
 * The fast way through a YAML file: `js-yaml` builds plain values straight from the parser's events, with
 * no node tree (the `yaml` library's `Document` is about ten times the size of the values it yields, and
 * most of a large file's parse time and garbage). It answers only when its result is certainly the
 * `yaml` library's one; otherwise (an error, a duplicate key, a directive, a key that is not a string, a
 * tag outside the core schema, many aliases) it gives up and the caller parses with `yaml`, which keeps
 * the messages and positions users see.
 */

/** Keys must be strings: `yaml` and `js-yaml` turn `null`, numbers and collections into different keys. */
const stringKeyedMap = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  identify: (data) => data !== null && typeof data === 'object' && !Array.isArray(data),
  addPair: (map, key, value) => {
    if (typeof key !== 'string') return 'a key that is not a string';
    // As `yaml` does: a key that names an inherited property (`__proto__`, `toString`) becomes an own one.
    if (key in map)
      Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    else map[key] = value;
    return '';
  },
  has: (map, key) => typeof key === 'string' && Object.hasOwn(map, key),
  keys: (map) => Object.keys(map),
  get: (map, key) => (typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : null),
});

/**
 * The core scalars, for untagged scalars only: an explicit tag (`!!float 1`) is read differently by the two
 * libraries (`yaml` keeps a value its tag does not match as a string), so it is left to `yaml`.
 */
function untaggedOnly<T>(tag: ScalarTagDefinition<T>): ScalarTagDefinition<T> {
  return defineScalarTag(tag.tagName, {
    ...tag,
    resolve: (source, isExplicit, tagName) =>
      isExplicit ? NOT_RESOLVED : tag.resolve(source, false, tagName),
  });
}

const SCHEMA = CORE_SCHEMA.withTags(
  [strTag, nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag, mergeTag].map((t) => untaggedOnly<unknown>(t)),
  stringKeyedMap,
);

/**
 * `yaml` refuses a document whose aliases could expand past 1,000 nodes (uses of an anchor times the
 * aliases nested in it). With at most 19 aliases that product is at most 3⁵ × 4 = 972, so below this
 * count both agree; above it `yaml` decides.
 */
const MAX_ALIASES = 19;

/**
 * Texts left to `yaml`: a directive (`%YAML 1.1` changes its schema) or a document end marker (`...`, which
 * `js-yaml` lets another document follow) at the start of a line, a tab in a line's indentation (an error
 * for `yaml` that `js-yaml` lets pass in places), and a carriage return not followed by a line feed (a line
 * break for `js-yaml`, part of the text for `yaml`).
 */
const LEFT_TO_YAML = /^%|^\.\.\.|^ *\t|\r(?!\n)/m;

/**
 * The plain values of a one-document YAML text whose top is a mapping (every configuration file), or
 * undefined when `yaml` must decide.
 */
export function loadPlainYaml(text: string): { value: Record<string, unknown> } | undefined {
  if (LEFT_TO_YAML.test(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: SCHEMA, maxAliases: MAX_ALIASES });
  } catch {
    return undefined;
  }
  // A top-level scalar (where the libraries read a block scalar's indentation indicator differently), a
  // list or nothing: not a configuration, left to `yaml` and to validation.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { value: value as Record<string, unknown> };
}
