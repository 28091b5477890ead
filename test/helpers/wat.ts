import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';

let toolkit: ReturnType<typeof wabt> | undefined;

/** Compiles WebAssembly text to a module with wabt (the WebAssembly Binary Toolkit, run as JavaScript). */
export async function watToWasm(source: string, filename = 'guest.wat'): Promise<Uint8Array> {
  toolkit ??= wabt();
  const mod = (await toolkit).parseWat(filename, source);
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** Compiles `dir/name.wat` to `outDir/outName` (default: beside it, `name.wasm`); returns the output path. */
export async function buildWat(
  watFile: string,
  outFile = watFile.replace(/\.wat$/, '.wasm'),
): Promise<string> {
  writeFileSync(outFile, await watToWasm(readFileSync(watFile, 'utf8'), watFile));
  return outFile;
}

/** The test guests of src/plugins/wasm/testdata, by name (`headers`, `reject`…), as text. */
export function testGuests(repoRoot: string): Record<string, string> {
  const dir = join(repoRoot, 'src', 'plugins', 'wasm', 'testdata');
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir))
    if (f.endsWith('.wat')) out[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
  return out;
}
