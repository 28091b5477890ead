#!/usr/bin/env node
// Rewrites the files generated from the configuration schemas (schemas/*.json, docs/reference/*.md).
// Run with `npm run generate:schemas`; src/config/json-schema/generated.test.ts fails when they are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from '../src/config/json-schema/generated.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [path, content] of Object.entries(generatedFiles())) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  process.stdout.write(`wrote ${path}\n`);
}
