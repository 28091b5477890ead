import type { JsonSchema } from './convert.js';
import { dynamicJsonSchema, SCHEMA_FILES, staticJsonSchema } from './documents.js';
import { type ReferenceSection, referenceRows, renderPage } from './reference.js';

/** The command that rewrites every generated file (the staleness test names it). */
export const REGENERATE = 'npm run generate:schemas';

const NOTE = (schema: string) =>
  `Generated from the validator's schemas by \`${REGENERATE}\`; do not edit by hand. The same options as a
JSON Schema for editors: [\`${schema}\`](../../${schema}) (see [Editor support](../editors.md)). Keys are
matched case-insensitively; the spelling shown is Traefik's. Durations are Go syntax (\`1m30s\`) or a number
of seconds; defaults are those applied when the option is left out.`;

/** Every generated file of the repository, by repository path, with its content. */
export function generatedFiles(): Record<string, string> {
  const stat = staticJsonSchema();
  const dyn = dynamicJsonSchema();
  return {
    [SCHEMA_FILES.static]: `${JSON.stringify(stat, null, 2)}\n`,
    [SCHEMA_FILES.dynamic]: `${JSON.stringify(dyn, null, 2)}\n`,
    'docs/reference/static.md': renderPage(
      'Static configuration reference',
      `Every option of the static (install) configuration: the configuration file, \`--flags\` and
\`SWITCHYARD_*\`/\`TRAEFIK_*\` environment variables use the same paths (see
[Static configuration](../static-configuration.md)). ${NOTE(SCHEMA_FILES.static)}`,
      topSections(stat),
    ),
    'docs/reference/dynamic.md': renderPage(
      'Dynamic configuration reference',
      `Every option of the dynamic (routing) configuration, as the file provider reads it; KV stores and
container labels use the same paths (see [Dynamic configuration](../dynamic-configuration.md)). HTTP
middlewares have [a page of their own](middlewares.md). ${NOTE(SCHEMA_FILES.dynamic)}`,
      dynamicSections(dyn, (kind) => kind !== 'http.middlewares'),
    ),
    'docs/reference/middlewares.md': renderPage(
      'HTTP middlewares reference',
      `The options of every HTTP middleware type (see [Middlewares](../middlewares.md) for what each does
and examples). A middleware is one key, its type, under \`http.middlewares.<name>\`. ${NOTE(SCHEMA_FILES.dynamic)}`,
      middlewareSections(dyn),
    ),
  };
}

function topSections(schema: JsonSchema): ReferenceSection[] {
  return Object.entries(schema.properties as Record<string, JsonSchema>).map(([key, value]) => ({
    heading: key,
    rows: referenceRows(value, key),
  }));
}

/** One section per element kind (`http.routers` …), filtered. */
function dynamicSections(schema: JsonSchema, keep: (kind: string) => boolean): ReferenceSection[] {
  const out: ReferenceSection[] = [];
  for (const [section, sectionSchema] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    for (const [kind, kindSchema] of Object.entries(sectionSchema.properties as Record<string, JsonSchema>)) {
      const path = `${section}.${kind}`;
      if (!keep(path)) continue;
      const element = (kindSchema.additionalProperties ?? kindSchema.items) as JsonSchema;
      const at = kindSchema.items ? `${path}[n]` : `${path}.<name>`;
      const intro = typeof element.description === 'string' ? element.description : undefined;
      out.push({ heading: path, ...(intro ? { intro } : {}), rows: referenceRows(element, at) });
    }
  }
  return out;
}

function middlewareSections(schema: JsonSchema): ReferenceSection[] {
  const http = (schema.properties as Record<string, JsonSchema>).http!;
  const middlewares = (http.properties as Record<string, JsonSchema>).middlewares!;
  const types = (middlewares.additionalProperties as JsonSchema).properties as Record<string, JsonSchema>;
  return Object.entries(types).map(([type, options]) => ({
    heading: type,
    rows: referenceRows(options, `http.middlewares.<name>.${type}`),
  }));
}
