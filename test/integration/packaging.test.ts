import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, runCli, startSwitchyard, tempDir } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
// `--ignore-scripts`: packing must not run `prepare` (a fresh build) under the other tests' feet.
const npm = (args: string[], cwd = REPO_ROOT) =>
  execFileSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** The module specifiers a compiled file imports (static, re-exports, and literal dynamic imports). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\s,]+)\1/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[2]!);
  return out;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * The lockfile of a project depending only on the packed tarball: the project's own lockfile entries
 * for production dependencies (npm resolves nothing anew, so its cache is enough).
 */
function appLock(tarball: string, integrity: string) {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { switchyard: tarball } },
    'node_modules/switchyard': {
      version: pkg.version,
      resolved: tarball,
      integrity,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(
    lock.packages as Record<string, { dev?: boolean; link?: boolean }>,
  )) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.link) packages[path] = entry;
  }
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

describe('the npm package', () => {
  let files: string[];

  before(() => {
    const [report] = JSON.parse(npm(['pack', '--dry-run', '--json']));
    files = report.files.map((f: { path: string }) => f.path);
  });

  it('holds the runtime, the dashboard, the docs and examples, and no tests, benches or source maps', () => {
    for (const f of [
      'bin/switchyard.js',
      'dist/src/cli/main.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'webui/dist/index.html',
      'README.md',
      'docs/README.md',
      'examples/quickstart.yml',
      'schemas/static.json',
      'schemas/dynamic.json',
      'packaging/switchyard.service',
    ]) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    const unwanted = files.filter(
      (f) =>
        /\.test\.|\.suite\.|\.map$|\.tsbuildinfo$/.test(f) ||
        /(^|\/)(test-[^/]*|testing|[^/]*-suite|[^/]*-fixture)\.js$/.test(f) ||
        /^(dist\/(test|bench)|test|bench|src|scripts)\//.test(f),
    );
    assert.deepEqual(unwanted, []);
  });

  it('resolves every import of a packed file to a packed file, a built-in or a production dependency', () => {
    const packed = new Set(files);
    const runtime = new Set([...Object.keys(pkg.dependencies), pkg.name]); // examples import the package itself
    const problems: string[] = [];
    for (const file of files.filter((f) => /\.(m?js)$/.test(f) && !f.startsWith('webui/'))) {
      for (const spec of specifiers(readFileSync(join(REPO_ROOT, file), 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = posix.normalize(posix.join(posix.dirname(file), spec));
          if (!packed.has(target)) problems.push(`${file}: ${spec} is not in the package`);
        } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
          if (!runtime.has(packageOf(spec))) problems.push(`${file}: ${spec} is not a dependency`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  describe('unpacked with only its production dependencies', () => {
    let dir: string;
    let root: string;

    before(() => {
      dir = tempDir('switchyard-pack-');
      const [report] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir]));
      execFileSync('tar', ['-xzf', join(dir, report.filename), '-C', dir]);
      root = join(dir, 'package');
      // Each production dependency links to the installed copy (which finds its own dependencies there);
      // nothing else is reachable from the unpacked package.
      for (const dep of Object.keys(pkg.dependencies)) {
        const link = join(root, 'node_modules', dep);
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(join(REPO_ROOT, 'node_modules', dep), link);
      }
    });

    it('imports as a library by its package name', () => {
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const m = await import('switchyard'); console.log(typeof m.start, typeof m.ConfigProvider)",
        ],
        { cwd: root, encoding: 'utf8' },
      );
      assert.equal(out.trim(), 'function function');
    });

    it('checks the quick start configuration', async () => {
      const res = await runCli(['check', '--configFile=examples/quickstart.yml'], {
        cwd: root,
        bin: join(root, 'bin', 'switchyard.js'),
      });
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.match(res.stdout + res.stderr, /valid/i);
    });

    it('starts, routes, serves its dashboard and stops', async () => {
      const sy = await startSwitchyard(
        [
          '--entryPoints.web.address=127.0.0.1:0',
          '--entryPoints.traefik.address=127.0.0.1:0',
          '--api.insecure=true',
          '--ping',
        ],
        { expectEntryPoints: ['web', 'traefik'], cwd: root, bin: join(root, 'bin', 'switchyard.js') },
      );
      try {
        assert.equal((await request(sy.url('traefik', '/ping'))).status, 200);
        const dashboard = await request(sy.url('traefik', '/dashboard/'));
        assert.equal(dashboard.status, 200);
        assert.match(dashboard.body, /<html/i);
        assert.equal((await request(sy.url('web', '/nothing-here'))).status, 404);
      } finally {
        assert.equal(await sy.stop(), 0);
      }
    });

    after(() => rmSync(dir, { recursive: true, force: true }));
  });

  describe('installed from the tarball with npm into an empty project, run with npx', () => {
    let dir: string;
    let app: string;
    const npx = (args: string[]) =>
      execFileSync('npx', ['--offline', 'switchyard', ...args], {
        cwd: app,
        encoding: 'utf8',
        stdio: 'pipe',
      });

    before(() => {
      dir = tempDir('switchyard-npx-');
      app = join(dir, 'app');
      const [report] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir]));
      mkdirSync(app);
      const tarball = `file:../${report.filename}`;
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'app', private: true, dependencies: { switchyard: tarball } }),
      );
      writeFileSync(join(app, 'package-lock.json'), JSON.stringify(appLock(tarball, report.integrity)));
      // As a user would, with nothing but npm's cache (no registry here): the tarball and the production
      // dependencies at the versions the project's lockfile pins.
      execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
    });

    it('prints its version', () => {
      assert.equal(npx(['version']).trim(), `switchyard ${pkg.version}`);
    });

    it('checks the quick start configuration it ships', () => {
      const shipped = join('node_modules', 'switchyard', 'examples');
      const out = npx([
        'check',
        `--configFile=${join(shipped, 'quickstart.yml')}`,
        `--providers.file.filename=${join(shipped, 'quickstart', 'dynamic.yml')}`,
      ]);
      assert.match(out, /configuration is valid .*: 3 entrypoints, 3 routers/);
    });

    after(() => rmSync(dir, { recursive: true, force: true }));
  });
});
