import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The package version (from package.json, read once). */
export function version(): string {
  if (cached === undefined) {
    const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'package.json');
    cached = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return cached;
}
