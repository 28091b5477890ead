import { BUILTIN_SCHEMAS } from '../dynamic/builtin-schemas.js';
import { ELEMENT_SECTIONS, TlsCertificate } from '../dynamic/index.js';
import type { MiddlewareLookup } from '../dynamic/validate-element.js';
import { staticSchema } from '../static/schema.js';
import { type JsonSchema, toJsonSchema } from './convert.js';

const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** Where the published schemas sit in the repository and the package. */
export const SCHEMA_FILES = { static: 'schemas/static.json', dynamic: 'schemas/dynamic.json' } as const;

/** The JSON Schema of a static configuration file (`switchyard.yml`, `traefik.toml` …). */
export function staticJsonSchema(): JsonSchema {
  return {
    $schema: DRAFT,
    title: 'Switchyard static configuration',
    description:
      'Install configuration: entrypoints, providers, API, logs, metrics (Traefik v3 keys). Generated from the validator’s schemas.',
    ...toJsonSchema(staticSchema),
    type: 'object',
  };
}

/** The JSON Schema of a dynamic configuration file (file provider): `http`, `tcp`, `udp`, `tls`. */
export function dynamicJsonSchema(): JsonSchema {
  const sections: Record<string, { type: string[]; properties: Record<string, JsonSchema> }> = {};
  const section = (name: string) => {
    sections[name] ??= { type: ['object', 'null'], properties: {} };
    return sections[name];
  };
  for (const { section: name, kind, schema } of ELEMENT_SECTIONS) {
    let element: JsonSchema;
    if (kind === 'middlewares')
      element = middlewareSchema(
        name === 'http' ? BUILTIN_SCHEMAS.middlewares : BUILTIN_SCHEMAS.tcpMiddlewares,
        name === 'http',
      );
    else if (kind === 'services') element = serviceSchema(toJsonSchema(schema!));
    else element = toJsonSchema(schema!);
    section(name).properties[kind] = { type: ['object', 'null'], additionalProperties: element };
  }
  section('tls').properties.certificates = { type: ['array', 'null'], items: toJsonSchema(TlsCertificate) };
  return {
    $schema: DRAFT,
    title: 'Switchyard dynamic configuration',
    description:
      'Routing configuration read by the file provider: routers, services, middlewares, TLS (Traefik v3 keys). Generated from the validator’s schemas.',
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(sections).map(([k, v]) => [k, { ...v, additionalProperties: false }]),
    ),
    additionalProperties: false,
  };
}

/** A middleware: exactly one key, its type, holding that type's options. */
function middlewareSchema(lookup: MiddlewareLookup, plugins = false): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const key of [...lookup.keys()].sort()) {
    if (key.startsWith('plugin.')) continue; // a loaded plugin's own key: described by `plugin` below
    properties[key] = toJsonSchema(lookup.get(key)!.schema);
  }
  // Plugins are loaded at startup, so their options are known to the validator, not to the schema.
  if (plugins)
    properties.plugin = {
      type: 'object',
      description:
        'A plugin middleware (experimental.localPlugins): one key, the plugin name, holding its options.',
      additionalProperties: { type: 'object' },
      minProperties: 1,
      maxProperties: 1,
    };
  return {
    type: 'object',
    description: 'A middleware: one key, its type, holding its options.',
    properties,
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
  };
}

/** A service: exactly one kind (`loadBalancer`, `weighted` …), besides `middlewares`. */
function serviceSchema(schema: JsonSchema): JsonSchema {
  const kinds = Object.keys(schema.properties as object).filter((k) => k !== 'middlewares');
  return {
    ...schema,
    type: 'object',
    description: `A service: exactly one of ${kinds.join(', ')}.`,
    oneOf: kinds.map((k) => ({ required: [k] })),
  };
}
