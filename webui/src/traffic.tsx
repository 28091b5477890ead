import { useEffect, useRef, useState } from 'preact/hooks';
import { quantile, type RouterTraffic, type StatusClass } from '../../src/observability/router-traffic';
import { getJson, HISTORY_MS, POLL_MS } from './api';
import { Chart, short } from './charts';

const CLASSES: StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];
/** Percentiles are taken over this many intervals (about 7.5 s), so that a quiet second has a value. */
const WINDOW = 5;

/** One point of the router's live view, from two samples. */
interface TrafficPoint {
  time: number;
  rate: number;
  classes: Record<StatusClass, number>;
  p50Ms: number;
  p99Ms: number;
}

/** Samples of `/api/traffic/<router>`, polled while the view is open. */
function useTraffic(name: string): RouterTraffic[] {
  const samples = useRef<RouterTraffic[]>([]);
  const [, setTick] = useState(0);
  useEffect(() => {
    samples.current = [];
    let alive = true;
    const poll = () =>
      getJson<RouterTraffic>(`traffic/${encodeURIComponent(name)}`).then(
        (t) => {
          if (!alive) return;
          samples.current.push(t);
          if (samples.current.length > HISTORY_MS / POLL_MS + WINDOW) samples.current.shift();
          setTick((n) => n + 1);
        },
        () => undefined,
      );
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [name]);
  return samples.current;
}

function pointsOf(samples: RouterTraffic[]): TrafficPoint[] {
  const out: TrafficPoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const w = samples[Math.max(0, i - WINDOW)]!;
    const secs = Math.max(0.001, (b.time - a.time) / 1000);
    const counts = b.latency.counts.map((n, k) => n - (w.latency.counts[k] ?? 0));
    const ms = (q: number) => (quantile(b.latency.bounds, counts, q) ?? 0) * 1000;
    out.push({
      time: b.time,
      rate: (b.requests - a.requests) / secs,
      classes: Object.fromEntries(CLASSES.map((c) => [c, (b.statuses[c] - a.statuses[c]) / secs])) as Record<
        StatusClass,
        number
      >,
      p50Ms: ms(0.5),
      p99Ms: ms(0.99),
    });
  }
  return out;
}

/**
 * Beyond Traefik: one router's traffic as it happens — requests per second, answers per status class,
 * and the median and 99th percentile of the time to answer.
 */
export function RouterTrafficView({ name }: { name: string }) {
  const samples = useTraffic(name);
  const points = pointsOf(samples);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const totals = CLASSES.map((c) => [c, last && first ? last.statuses[c] - first.statuses[c] : 0] as const);
  return (
    <section class="router-traffic" data-testid="router-traffic">
      <div class="charts">
        <Chart points={points} value={(p) => p.rate} label="Requests" unit="req/s" cls="rate" />
        <Chart points={points} value={(p) => p.p50Ms} label="p50" unit="ms" cls="latency p50" />
        <Chart points={points} value={(p) => p.p99Ms} label="p99" unit="ms" cls="latency p99" />
      </div>
      <table class="list status-classes" data-testid="status-classes">
        <thead>
          <tr>
            <th>Status</th>
            {CLASSES.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>answers/s now</td>
            {CLASSES.map((c) => (
              <td key={c} class={`class-${c}`} data-testid={`rate-${c}`}>
                {short(points.at(-1)?.classes[c] ?? 0)}
              </td>
            ))}
          </tr>
          <tr>
            <td>answers, last {Math.round(((last?.time ?? 0) - (first?.time ?? 0)) / 1000)} s</td>
            {totals.map(([c, n]) => (
              <td key={c} class={`class-${c}`} data-testid={`total-${c}`}>
                {n}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
