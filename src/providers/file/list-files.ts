import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatOf } from './parse-file.js';

/**
 * The configuration files under `directory`, subdirectories included (as Traefik), in Traefik's order:
 * entries sorted by name, a subdirectory's files in its place. Symbolic links are followed (Kubernetes
 * mounts ConfigMaps as links), each real directory once. Entries whose name starts with a dot are skipped:
 * editors' lock and swap files, and the `..data` twin of a ConfigMap mount, which would define everything
 * twice (Traefik reads them; this is a deliberate difference).
 *
 * Throws when `directory` itself cannot be read.
 */
export async function listConfigFiles(directory: string): Promise<Listing> {
  const listing: Listing = { files: [], unreadable: [] };
  await walk(directory, listing, new Set<string>(), true);
  return listing;
}

/** The files found, and the subdirectories that exist but could not be read (with the reason). */
export interface Listing {
  files: string[];
  unreadable: { path: string; reason: string }[];
}

async function walk(dir: string, out: Listing, seen: Set<string>, top: boolean): Promise<void> {
  let real: string;
  let names: string[];
  try {
    real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    names = (await readdir(dir)).sort();
  } catch (err) {
    if (top) throw err;
    // A subdirectory that vanished meanwhile simply has no files; one we may not read is worth saying.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') out.unreadable.push({ path: dir, reason: code ?? String(err) });
    return;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined); // follows links; a dangling link is skipped
    if (!info) continue;
    if (info.isDirectory()) await walk(path, out, seen, false);
    else if (info.isFile() && formatOf(name)) out.files.push(path);
  }
}
