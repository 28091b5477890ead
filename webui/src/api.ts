import { useEffect, useState } from 'preact/hooks';

/** One element as the API serves it. */
export interface Item {
  name: string;
  provider?: string;
  status?: string;
  error?: string[];
  [key: string]: unknown;
}

export interface Counters {
  requests: number;
  errors: number;
  durationSum: number;
}

export interface Stats {
  time: number;
  entryPoints: Record<string, Counters>;
  routers: Record<string, Counters>;
  services: Record<string, Counters>;
}

/** The API sits beside the dashboard: `<base>/dashboard/` → `<base>/api/`. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`../api/${path}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return (await res.json()) as T;
}

export const POLL_MS = 1500;

/** `/api/version`. */
export interface Version {
  Version: string;
  Codename: string;
  startDate: string;
  dashboardName?: string;
}

/** Fetches `path` once; returns the answer when it arrives. */
export function useOnce<T>(path: string): T | undefined {
  const [data, setData] = useState<T | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    getJson<T>(path).then(
      (d) => alive && setData(d),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [path]);
  return data;
}

/** Fetches `path` now and every POLL_MS; returns the last answer (and the last error, if any). */
export function usePoll<T>(path: string): { data: T | undefined; error: string | undefined } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    const tick = () =>
      getJson<T>(path).then(
        (d) => {
          if (alive) {
            setData(d);
            setError(undefined);
          }
        },
        (e: Error) => alive && setError(e.message),
      );
    void tick();
    const timer = setInterval(tick, POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [path]);
  return { data, error };
}

/** One point of a live series: per-second rates derived from two cumulative samples. */
export interface Point {
  time: number;
  rate: number;
  errorRate: number;
  latencyMs: number;
}

const HISTORY = 60;
/** How far back the live charts reach (60 samples, 90 s). */
export const HISTORY_MS = HISTORY * POLL_MS;
const samples: Stats[] = [];
const listeners = new Set<() => void>();

async function pollStats(): Promise<void> {
  try {
    samples.push(await getJson<Stats>('stats'));
    if (samples.length > HISTORY + 1) samples.shift();
    for (const l of listeners) l();
  } catch {
    // the next poll tries again
  }
}
void pollStats();
setInterval(pollStats, POLL_MS);

/** The live series of one entrypoint, router or service. */
export function seriesOf(kind: 'entryPoints' | 'routers' | 'services', name: string): Point[] {
  const out: Point[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const ca = a[kind][name] ?? { requests: 0, errors: 0, durationSum: 0 };
    const cb = b[kind][name] ?? ca;
    const secs = Math.max(0.001, (b.time - a.time) / 1000);
    const n = cb.requests - ca.requests;
    out.push({
      time: b.time,
      rate: n / secs,
      errorRate: (cb.errors - ca.errors) / secs,
      latencyMs: n > 0 ? ((cb.durationSum - ca.durationSum) / n) * 1000 : 0,
    });
  }
  return out;
}

/** Re-renders the caller on each stats sample. */
export function useStatsTick(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return tick;
}
