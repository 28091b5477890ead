import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

/**
 * Test helper: every configuration example of the repository (files under examples/, fenced blocks in
 * docs/), parsed, with where it comes from.
 */
export interface ConfigExample {
  /** `docs/tls.md:58` or `examples/quickstart.yml`. */
  where: string;
  language: 'yaml' | 'toml' | 'json';
  text: string;
  /** What the fence's info string says besides the language (`fragment`, `compose` …). */
  marker?: string;
}

/**
 * Words that may follow the language of a fence that is not a whole configuration file, and what they
 * mean. Any other fence of YAML, TOML or JSON in docs/ is validated against the schemas.
 */
export const NOT_CONFIG_MARKERS: Readonly<Record<string, string>> = {
  fragment: 'a part of a configuration shown out of its file (indented, or one element)',
  compose: 'a Docker Compose file',
  v1: 'a Traefik v1 configuration (read by the v1 converter)',
  output: 'something Switchyard writes (log lines, acme.json)',
  settings: 'settings of another tool (an editor)',
};

const LANGUAGES: Record<string, ConfigExample['language']> = {
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  json: 'json',
};

/** The fenced YAML/TOML/JSON blocks of the markdown files under `dir` (recursively). */
export function docExamples(root: string, dir = 'docs'): ConfigExample[] {
  const out: ConfigExample[] = [];
  for (const file of walk(join(root, dir)).filter((f) => f.endsWith('.md'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)```(\w+)\s*(\S*)/.exec(lines[i]!);
      if (!open) continue;
      const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
      const language = LANGUAGES[open[2]!.toLowerCase()];
      if (end === -1) break;
      if (language) {
        const body = lines.slice(i + 1, end).map((l) => l.slice(open[1]!.length));
        out.push({
          where: `${relative(root, file)}:${i + 1}`,
          language,
          text: `${body.join('\n')}\n`,
          ...(open[3] ? { marker: open[3] } : {}),
        });
      }
      i = end;
    }
  }
  return out;
}

/** The YAML/TOML/JSON files under `dir`. */
export function fileExamples(root: string, dir = 'examples'): ConfigExample[] {
  return walk(join(root, dir))
    .filter((f) => /\.(ya?ml|toml|json)$/.test(f))
    .map((file) => ({
      where: relative(root, file),
      language: LANGUAGES[file.slice(file.lastIndexOf('.') + 1)]!,
      text: readFileSync(file, 'utf8'),
    }));
}

/** Parses an example the way the file provider and the static loader do. */
export function parseExample(example: ConfigExample): unknown {
  if (example.language === 'toml') return parseToml(example.text);
  if (example.language === 'json') return JSON.parse(example.text);
  return parseYaml(example.text);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}
