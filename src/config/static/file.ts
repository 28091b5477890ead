import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { SourceResult } from './source.js';
import { parseTomlSource } from './toml-source.js';
import { parseYamlSource } from './yaml-source.js';

/** The configuration file formats, by extension. JSON is read as YAML, of which it is a subset. */
export const CONFIG_EXTENSIONS: Record<string, 'yaml' | 'toml'> = {
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.json': 'yaml',
  '.toml': 'toml',
};

/**
 * Reads a static configuration file (YAML by `.yml`/`.yaml`, TOML by `.toml`). Issues name the file as
 * `label` (`switchyard.yml:3:7` for syntax errors); values are indexed so later issues can say
 * `switchyard.yml:12`.
 */
export function readConfigFile(filePath: string, label = filePath): SourceResult {
  const format = CONFIG_EXTENSIONS[extname(filePath).toLowerCase()];
  if (!format) {
    const message = `unsupported configuration file extension "${extname(filePath)}" (use .yml, .yaml or .toml)`;
    return { issues: [{ path: '', message, source: label, code: 'CONFIG_PARSE' }] };
  }
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (err) {
    const message = `cannot read the configuration file: ${errorMessage(err)}`;
    return { issues: [{ path: '', message, source: label, code: 'CONFIG_PARSE' }] };
  }
  return parseConfigText(text.replace(/^\uFEFF/, ''), format, label);
}

/** Parses configuration text already in memory (used for files and by tests). */
export function parseConfigText(text: string, format: 'yaml' | 'toml', label: string): SourceResult {
  return format === 'toml' ? parseTomlSource(text, label) : parseYamlSource(text, label);
}
