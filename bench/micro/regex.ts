/**
 * Regex engines for Go patterns, side by side (issue 18; the decision is in docs/design/regex.md):
 * `node --import tsx bench/micro/regex.ts [--quick]`.
 *
 * - `v8`: the V8 translation alone (what Switchyard did before): fast, but backtracking;
 * - `re2js`: the pure-JS RE2 port on every pattern;
 * - `hybrid`: `compileGoRegex` (V8 for patterns proven linear, re2js for the rest);
 * - `v8-linear`: V8's experimental linear engine (`l` flag, needs `--enable-experimental-regexp-engine`);
 * - `v8-fallback`: V8 with `--enable-experimental-regexp-engine-on-excessive-backtracks`, which does not
 *   apply to `u`-mode patterns (all translated ones need `u` for Go's code points), so it backtracks.
 * The two flag-gated engines run in a child Node started with the flag. Prints a markdown table.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RE2JS } from 're2js';
import { compileGoRegex } from '../../src/core/go-regex/index.js';
import { translateGoRegex } from '../../src/core/go-regex/translate.js';

type Engine = 'v8' | 're2js' | 'hybrid' | 'v8-linear' | 'v8-fallback';
type Matcher = (input: string) => boolean;

interface Case {
  readonly name: string;
  readonly pattern: string;
  readonly input: string;
  /** Hostile cases run once (their cost is the point); ordinary ones in a timed loop. */
  readonly hostile?: boolean;
}

const run = (c: string, n: number, tail = '!') => `/${c.repeat(n)}${tail}`;
const CASES: Case[] = [
  { name: 'host', pattern: '^[a-z0-9-]+\\.example\\.com$', input: 'my-service-1.example.com' },
  { name: 'path prefix', pattern: '^/api/v[0-9]+/.*', input: '/api/v2/users/123/profile' },
  { name: 'path group', pattern: '^/users/(?P<id>[0-9]+)/edit$', input: '/users/12345/edit' },
  { name: 'alternatives', pattern: '\\.(jpe?g|png|gif)$', input: '/static/images/logo.png' },
  { name: 'no match', pattern: '^/admin/[a-z]+$', input: '/public/index.html' },
  { name: 'unanchored .* (RE2 in hybrid)', pattern: '/api/.*/edit', input: '/x/api/v1/items/7/edit' },
  { name: '(a+)+ n=20', pattern: '^/(a+)+$', input: run('a', 20), hostile: true },
  { name: '(a+)+ n=24', pattern: '^/(a+)+$', input: run('a', 24), hostile: true },
  { name: '(a+)+ n=46', pattern: '^/(a+)+$', input: run('a', 46), hostile: true },
  { name: '(a+)+ n=10000', pattern: '^/(a+)+$', input: run('a', 10_000), hostile: true },
  { name: '[0-9]+x 20k digits', pattern: '[0-9]+x', input: '1'.repeat(20_000), hostile: true },
];

/** Cases a backtracking engine cannot finish in a benchmark's time (2^46 paths and more). */
const BACKTRACKING_SKIP = new Set(['(a+)+ n=46', '(a+)+ n=10000']);

function matcher(engine: Engine, pattern: string): Matcher {
  if (engine === 're2js') {
    const re = RE2JS.compile(pattern);
    return (s) => re.test(s);
  }
  if (engine === 'hybrid') {
    const re = compileGoRegex(pattern);
    return (s) => re.test(s);
  }
  const t = translateGoRegex(pattern);
  // The linear engine refuses `u`: it runs without it (code units, not Go's code points).
  const re = new RegExp(t.source, engine === 'v8-linear' ? t.flags.replace('u', 'l') : t.flags);
  return (s) => re.test(s);
}

/** ns per call: timed loops for ordinary cases, one call for hostile ones. */
function measure(m: Matcher, c: Case, quick: boolean): number {
  if (c.hostile) {
    const t = process.hrtime.bigint();
    m(c.input);
    return Number(process.hrtime.bigint() - t);
  }
  const n = quick ? 20_000 : 200_000;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) m(c.input);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / n);
  }
  return best; // the fastest of three rounds: the first one also pays for the JIT
}

function runEngine(engine: Engine, quick: boolean): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const c of CASES) {
    // The fallback engine does not take `u` patterns (every translated one): it backtracks like `v8`.
    const backtracks = engine === 'v8' || engine === 'v8-fallback';
    out[c.name] =
      backtracks && BACKTRACKING_SKIP.has(c.name) ? null : measure(matcher(engine, c.pattern), c, quick);
  }
  return out;
}

const CHILD_FLAGS: Partial<Record<Engine, string>> = {
  'v8-linear': '--enable-experimental-regexp-engine',
  'v8-fallback': '--enable-experimental-regexp-engine-on-excessive-backtracks',
};

function format(ns: number | null): string {
  if (ns === null) return 'not run (years)';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

const args = process.argv.slice(2);
const child = args.indexOf('--child');
const quick = args.includes('--quick');
if (child !== -1) {
  process.stdout.write(JSON.stringify(runEngine(args[child + 1] as Engine, quick)));
} else {
  const engines: Engine[] = ['v8', 're2js', 'hybrid', 'v8-linear', 'v8-fallback'];
  const results: Record<string, Record<string, number | null>> = {};
  for (const e of engines) {
    const flag = CHILD_FLAGS[e];
    results[e] =
      flag === undefined
        ? runEngine(e, quick)
        : JSON.parse(
            execFileSync(
              process.execPath,
              [
                flag,
                '--import',
                'tsx',
                fileURLToPath(import.meta.url),
                '--child',
                e,
                ...(quick ? ['--quick'] : []),
              ],
              { encoding: 'utf8' },
            ),
          );
  }
  console.log(`| case | ${engines.join(' | ')} |\n|---|${engines.map(() => '---').join('|')}|`);
  for (const c of CASES)
    console.log(`| ${c.name} | ${engines.map((e) => format(results[e]![c.name]!)).join(' | ')} |`);
  const engineOf = CASES.map((c) => `${c.name}: ${compileGoRegex(c.pattern).engine}`).join(', ');
  console.log(`\nhybrid engine per case: ${engineOf}`);
}
