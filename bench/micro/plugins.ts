/**
 * Overhead of plugins (issue #15): small keep-alive GETs through the real CLI (one process, pinned to
 * CPU 0; wrk + nginx on CPU 1) with one router whose only middleware sets one request header, four ways:
 * `none` (no middleware), `headers` (the built-in headers middleware, customRequestHeaders), `node` (the
 * runtime-node example plugin, examples/plugins-local/src/stamp) and `wasm` (its http-wasm twin,
 * examples/plugins-local/src/stamp-wasm, compiled here from its WebAssembly text). Rounds are interleaved;
 * the table shows medians and the ratio to `headers` (the target: `node` within 5 %).
 *
 *   node --import tsx bench/micro/plugins.ts [--rounds 3] [--seconds 5] [--connections 64] [--modes a,b]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginStatic } from '../../test/helpers/plugins.js';
import { buildWat } from '../../test/helpers/wat.js';
import { microOptions, printTable, runInterleaved } from './micro-lib.js';

const { rounds, seconds, connections, modes } = microOptions('none,headers,node,wasm');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'sy-plugins-bench-'));

// The two example plugins, where the CLI looks for them (plugins-local/src under its working directory).
const local = path.join(dir, 'plugins-local', 'src');
const examples = path.join(root, 'examples', 'plugins-local', 'src');
mkdirSync(path.join(local, 'stamp-wasm'), { recursive: true });
symlinkSync(path.join(examples, 'stamp'), path.join(local, 'stamp'), 'dir');
symlinkSync(
  path.join(examples, 'stamp-wasm', '.traefik.yml'),
  path.join(local, 'stamp-wasm', '.traefik.yml'),
);
await buildWat(
  path.join(examples, 'stamp-wasm', 'plugin.wat'),
  path.join(local, 'stamp-wasm', 'plugin.wasm'),
);

const MIDDLEWARES: Record<string, string> = {
  none: '',
  headers: 'headers:\n        customRequestHeaders:\n          X-Stamp: bench',
  node: 'plugin:\n        stamp:\n          value: bench',
  wasm: 'plugin:\n        stamp-wasm:\n          value: bench',
};

function startProxy(mode: string, port: number, backend: number) {
  const mw = MIDDLEWARES[mode];
  if (mw === undefined) throw new Error(`unknown mode "${mode}" (none, headers, node, wasm)`);
  const dynamic = path.join(dir, `dynamic-${mode}.yml`);
  writeFileSync(
    dynamic,
    `http:
  routers:
    all:
      rule: PathPrefix(\`/\`)
      service: backend
${mw ? '      middlewares: [mw]\n' : ''}  services:
    backend:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:${backend}
${mw ? `  middlewares:\n    mw:\n      ${mw}\n` : ''}`,
  );
  const config = path.join(dir, `switchyard-${mode}.yml`);
  writeFileSync(
    config,
    pluginStatic({
      web: `127.0.0.1:${port}`,
      workers: 1,
      dynamic,
      localPlugins: { stamp: { moduleName: 'stamp' }, 'stamp-wasm': { moduleName: 'stamp-wasm' } },
    }),
  );
  const bin = path.join(root, 'bin', 'switchyard.js');
  return spawn('taskset', ['-c', '0', process.execPath, bin, `--configFile=${config}`], {
    cwd: dir,
    stdio: 'ignore',
  });
}

const results = await runInterleaved({ modes, rounds, seconds, connections, dir, startProxy });
printTable(results, 'headers', connections, 3);
