import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendants } from './processes.js';

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on every common Linux). */
const TICKS_PER_S = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used so far, in seconds; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so count fields after the last `)`.
  // utime and stime are fields 14 and 15 of the line, the 12th and 13th after `)`.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** CPU seconds of a process and of each of its descendants, at one moment. */
export interface CpuSample {
  at: number;
  main: { pid: number; s: number };
  children: Map<number, number>;
}

export function sampleTree(pid: number): CpuSample {
  const children = new Map<number, number>();
  for (const child of descendants(pid)) {
    const s = cpuSeconds(child);
    if (s !== undefined) children.set(child, s);
  }
  return { at: Date.now(), main: { pid, s: cpuSeconds(pid) ?? 0 }, children };
}

/**
 * What each process used between two samples, for the report: the main process (Switchyard's primary,
 * nginx's master) and each child (workers) as CPU seconds, each child's share of one core over the run,
 * the balance between children (least busy ÷ busiest; 1 = even), and the `requests` served per CPU
 * second of all the processes (what a busy machine's contention does not distort as much as req/s).
 * Children that started or ended between the samples are left out.
 */
export function cpuBetween(
  before: CpuSample,
  after: CpuSample,
  requests: number,
): Record<string, number | string> {
  const wallS = (after.at - before.at) / 1000;
  const used: number[] = [];
  for (const [pid, s] of after.children) {
    const was = before.children.get(pid);
    if (was !== undefined) used.push(s - was);
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  const out: Record<string, number | string> = {
    wallS: round(wallS),
    mainCpuS: round(after.main.s - before.main.s),
    childCpuS: used.map(round).join(' / '),
    childCoreShare: used.map((s) => round(s / wallS)).join(' / '),
  };
  if (used.length > 1) out.childBalance = round(Math.min(...used) / Math.max(...used));
  const total = after.main.s - before.main.s + used.reduce((a, b) => a + b, 0);
  if (total > 0) out.requestsPerCpuS = Math.round(requests / total);
  return out;
}
