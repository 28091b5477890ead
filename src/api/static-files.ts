import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** `webui/dist` of this checkout or package (works from `src/api` and from `dist/src/api`). */
export function findWebuiDist(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'webui', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** The built dashboard's files, read once and kept in memory (a few hundred kilobytes at most). */
export class StaticFiles {
  private readonly cache = new Map<string, { body: Buffer; type: string } | null>();

  constructor(private readonly root: string | undefined) {}

  /** A file under the root by its relative path; `undefined` if absent or outside the root. */
  get(relative: string): { body: Buffer; type: string } | undefined {
    if (!this.root) return undefined;
    const cached = this.cache.get(relative);
    if (cached !== undefined) return cached ?? undefined;
    const clean = normalize(`/${relative}`).slice(1);
    let entry: { body: Buffer; type: string } | null = null;
    if (clean !== '' && !clean.startsWith('..')) {
      const path = join(this.root, clean);
      try {
        entry = { body: readFileSync(path), type: TYPES[extname(path)] ?? 'application/octet-stream' };
      } catch {
        entry = null;
      }
    }
    if (this.cache.size < 256) this.cache.set(relative, entry);
    return entry ?? undefined;
  }
}
