// `npm run docs:screenshots`: runs the dashboard's browser test with SWITCHYARD_DOCS_IMAGES set, so the
// screenshots it takes replace the pictures in docs/images. `npm test` never touches them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tests = ['dashboard-ui.test.js', 'dashboard-live.test.js'].map((t) =>
  join(root, 'dist', 'test', 'integration', t),
);
if (!tests.every((t) => existsSync(t))) {
  process.stderr.write('dist/ is not built: run `npm run build` first\n');
  process.exit(2);
}
const run = spawnSync(process.execPath, ['--test', '--test-timeout=180000', ...tests], {
  stdio: 'inherit',
  env: { ...process.env, SWITCHYARD_DOCS_IMAGES: join(root, 'docs', 'images') },
});
process.exit(run.status ?? 1);
