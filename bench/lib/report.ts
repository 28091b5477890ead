import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult } from './wrk.js';

export interface ProxyResult {
  proxy: string;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  runs: LoadResult[];
  /** Each figure's median over the runs. */
  median?: LoadResult;
  rssKiB?: number;
  /** Scenario-specific figures (reload: rewrites, time to apply). */
  extra?: Record<string, number | string | undefined>;
}

export interface ScenarioResult {
  name: string;
  title: string;
  hostHeader?: string;
  /** Why the scenario measured nothing, when it did not. */
  skipped?: string;
  proxies: ProxyResult[];
}

export interface Ratio {
  peer: string;
  rps: number;
  p99: number;
  rss: number;
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each figure's median over the runs, figure by figure. */
export function medianOf(runs: LoadResult[]): LoadResult {
  const keys = Object.keys(runs[0]!) as (keyof LoadResult)[];
  const out = {} as LoadResult;
  for (const key of keys) out[key] = middle(runs.map((r) => r[key]));
  return out;
}

/** Switchyard's figures divided by each measured peer's (req/s > 1 is better, p99 and RSS < 1 are). */
export function ratios(scenario: ScenarioResult): Ratio[] {
  const own = scenario.proxies.find((p) => p.proxy === 'switchyard' && p.status === 'ok');
  if (!own?.median) return [];
  return scenario.proxies
    .filter((p) => p !== own && p.status === 'ok' && p.median)
    .map((p) => ({
      peer: p.proxy,
      rps: own.median!.rps / p.median!.rps,
      p99: own.median!.p99Ms / p.median!.p99Ms,
      rss: (own.rssKiB ?? 0) / (p.rssKiB ?? 1),
    }));
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string =>
  Number.isNaN(n) ? '?' : n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`;
const mib = (kib: number | undefined): string => (kib ? `${(kib / 1024).toFixed(1)} MiB` : '?');
const times = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '—');

/** A reason on one table cell: its first line and, when there is one, the last line of the log tail. */
function shortReason(reason = ''): string {
  const lines = reason.split('\n').filter((l) => l.trim() !== '');
  const text = lines.length > 1 ? `${lines[0]} … ${lines.at(-1)}` : (lines[0] ?? '');
  return text.replaceAll('|', '/').slice(0, 200);
}

export function scenarioMarkdown(scenario: ScenarioResult, setup: string): string {
  const host = scenario.hostHeader ? `; Host header \`${scenario.hostHeader}\`` : '';
  const out = [`### ${scenario.name}: ${scenario.title}`, '', `${setup}${host}`, ''];
  if (scenario.skipped) return `${out.join('\n')}Skipped: ${scenario.skipped}\n`;
  const byPeer = new Map(ratios(scenario).map((r) => [r.peer, r]));
  out.push(
    '| Proxy | req/s | p50 | p99 | non-2xx | socket errors | RSS | Switchyard ÷ this: req/s | p99 | RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const p of scenario.proxies) {
    if (p.status === 'ok' && !p.median) {
      out.push(`| ${p.proxy} | no load | | | | | ${mib(p.rssKiB)} | | | |`);
      continue;
    }
    if (p.status !== 'ok' || !p.median) {
      out.push(`| ${p.proxy} | ${p.status}: ${shortReason(p.reason)} | | | | | | | | |`);
      continue;
    }
    const m = p.median;
    const r = byPeer.get(p.proxy);
    const cells = [
      p.proxy,
      int(m.rps),
      ms(m.p50Ms),
      ms(m.p99Ms),
      int(m.non2xx),
      int(m.socketErrors),
      mib(p.rssKiB),
    ];
    cells.push(r ? times(r.rps) : '—', r ? times(r.p99) : '—', r ? times(r.rss) : '—');
    out.push(`| ${cells.join(' | ')} |`);
  }
  for (const p of scenario.proxies) {
    if (!p.extra) continue;
    const parts = Object.entries(p.extra).map(([k, v]) => `${k} = ${v ?? 'never'}`);
    out.push('', `${p.proxy}: ${parts.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Switchyard's figures in `scenario` against its own in `base` (same run): req/s and p99 ratios, and the
 * RSS difference, added to its extra figures. Nothing when either was not measured.
 */
export function compareToOwn(scenario: ScenarioResult, base: ScenarioResult | undefined): void {
  const own = (s: ScenarioResult | undefined) => s?.proxies.find((p) => p.proxy === 'switchyard' && p.median);
  const mine = own(scenario);
  const theirs = own(base);
  if (!mine?.median || !theirs?.median || !base) return;
  mine.extra = {
    ...mine.extra,
    [`rpsVs_${base.name}`]: Number((mine.median.rps / theirs.median.rps).toFixed(2)),
    [`p99Vs_${base.name}`]: Number((mine.median.p99Ms / theirs.median.p99Ms).toFixed(2)),
    [`rssMiBMinus_${base.name}`]: Number((((mine.rssKiB ?? 0) - (theirs.rssKiB ?? 0)) / 1024).toFixed(1)),
  };
}

/** Writes the whole result as JSON to `bench/results/<timestamp>.json`; returns the path. */
export async function writeResults(repoRoot: string, startedAt: Date, data: unknown): Promise<string> {
  const dir = path.join(repoRoot, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
