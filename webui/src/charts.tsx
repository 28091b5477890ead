import { type Point, seriesOf, useStatsTick } from './api';

const W = 240;
const H = 56;

function Spark({ values, label, unit, cls }: { values: number[]; label: string; unit: string; cls: string }) {
  const max = Math.max(1e-9, ...values);
  const step = values.length > 1 ? W / (values.length - 1) : W;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(H - (v / max) * (H - 4) - 2).toFixed(1)}`);
  const last = values.length > 0 ? values[values.length - 1]! : 0;
  return (
    <figure class={`chart ${cls}`}>
      <figcaption>
        {label} <strong>{last.toFixed(last >= 10 ? 0 : 2)}</strong> {unit}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
        <polyline points={points.join(' ')} fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
    </figure>
  );
}

/** Live request rate, error rate and mean latency of one entrypoint, router or service. */
export function LiveCharts({ kind, name }: { kind: 'entryPoints' | 'routers' | 'services'; name: string }) {
  useStatsTick();
  const s: Point[] = seriesOf(kind, name);
  return (
    <div class="charts" data-testid={`charts-${name}`}>
      <Spark values={s.map((p) => p.rate)} label="Requests" unit="req/s" cls="rate" />
      <Spark values={s.map((p) => p.errorRate)} label="Errors" unit="err/s" cls="errors" />
      <Spark values={s.map((p) => p.latencyMs)} label="Latency" unit="ms" cls="latency" />
    </div>
  );
}
