import { DURATION_COMMENT, type JsonSchema, SECRET_COMMENT } from './convert.js';

/** One option of the reference: its dotted path (`entryPoints.<name>.address`) and what to say about it. */
export interface ReferenceRow {
  path: string;
  type: string;
  default?: string;
  description: string;
}

/** One section of a reference page: a heading and its options. */
export interface ReferenceSection {
  heading: string;
  intro?: string;
  rows: ReferenceRow[];
}

/**
 * The options under `schema`, depth first, as rows. Maps of user-chosen names show as `<name>`, list
 * items as `[n]`; sections (objects) have a row of their own before their options.
 */
export function referenceRows(schema: JsonSchema, path: string, required = false): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const add = (s: JsonSchema, req: boolean) => rows.push(row(s, path, req));
  const props = propertiesOf(schema);
  const named = namedValue(schema);
  const item = isObjectish(schema.items as JsonSchema | undefined) ? (schema.items as JsonSchema) : undefined;
  if (props) {
    // The section row of a named element or a list item repeats the row of its map or list.
    if (path && !/(<name>|\[n\])$/.test(path)) add(schema, required);
    const req = new Set((schema.required as string[] | undefined) ?? []);
    for (const [key, value] of Object.entries(props)) {
      rows.push(...referenceRows(value, join(path, key), req.has(key)));
    }
  } else if (named) {
    add(schema, required);
    rows.push(...referenceRows(named, join(path, '<name>')));
  } else if (item) {
    add(schema, required);
    rows.push(...referenceRows(item, `${path}[n]`));
  } else {
    add(schema, required);
  }
  return rows;
}

/** A page: a title, the text above, then one heading and table per section. */
export function renderPage(title: string, intro: string, sections: ReferenceSection[]): string {
  const out = [`# ${title}`, '', intro.trim(), ''];
  for (const section of sections) {
    out.push(`## ${section.heading}`, '');
    if (section.intro) out.push(section.intro, '');
    out.push('| Option | Type | Default | Description |', '| --- | --- | --- | --- |');
    for (const r of section.rows) {
      out.push(
        `| \`${cell(r.path)}\` | ${cell(r.type)} | ${r.default ? `\`${cell(r.default)}\`` : ''} | ${cell(r.description)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function row(schema: JsonSchema, path: string, required: boolean): ReferenceRow {
  const notes: string[] = [];
  if (required) notes.push('**Required.**');
  if (schema.deprecated) notes.push('**Deprecated.**');
  if (typeof schema.description === 'string') notes.push(sentence(schema.description));
  if (schema.$comment === SECRET_COMMENT) notes.push('Secret: redacted in logs and in the API.');
  if (typeof schema.maxProperties === 'number' && schema.maxProperties === 1 && propertiesOf(schema)) {
    notes.push('At most one of its options may be set.');
  }
  const out: ReferenceRow = { path, type: typeOf(schema), description: notes.join(' ') };
  const shown = defaultText(schema.default);
  if (shown !== undefined) out.default = shown;
  return out;
}

/** A short type name: `string`, `duration`, `list of strings`, `"a" \| "b"`, `section`, `map of names`. */
export function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.$comment === DURATION_COMMENT) return 'duration';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeOf).join(' or ');
  if (propertiesOf(schema)) return 'section';
  if (namedValue(schema) || schema.additionalProperties === true) return 'map of names';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'array') return `list of ${plural(typeOf(schema.items as JsonSchema))}`;
  return typeof type === 'string' ? type : 'any';
}

function plural(type: string): string {
  if (type === 'section') return 'sections';
  if (/^(string|integer|number|boolean|duration)$/.test(type)) return `${type}s`;
  return `(${type})`;
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  return props && Object.keys(props).length > 0 ? props : undefined;
}

function namedValue(schema: JsonSchema): JsonSchema | undefined {
  const patterns = schema.patternProperties as Record<string, JsonSchema> | undefined;
  if (patterns) return Object.values(patterns)[0];
  const extra = schema.additionalProperties;
  return typeof extra === 'object' && extra !== null ? (extra as JsonSchema) : undefined;
}

function isObjectish(schema: JsonSchema | undefined): boolean {
  return schema !== undefined && (propertiesOf(schema) !== undefined || namedValue(schema) !== undefined);
}

function defaultText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return undefined;
  return typeof value === 'string' ? value || '""' : JSON.stringify(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function sentence(text: string): string {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
