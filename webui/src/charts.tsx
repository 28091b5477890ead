import { HISTORY_MS, type Point, seriesOf, useStatsTick } from './api';

// Plot area inside the SVG, leaving room for the value axis (left) and the time axis (bottom).
const W = 300;
const H = 120;
const LEFT = 44;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 20;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = H - TOP - BOTTOM;
/** Time ticks, seconds before the latest sample. */
const TIME_TICKS = [90, 60, 30, 0];

/** A "nice" upper bound for the value axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** A number for an axis or a reading: no more digits than it needs. */
export function short(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k`;
  if (Math.abs(v) >= 10) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(1).replace(/\.0$/, '');
  return v.toFixed(2).replace(/0+$/, '');
}

interface ChartProps<P extends { time: number }> {
  points: P[];
  value: (p: P) => number;
  label: string;
  unit: string;
  cls: string;
}

/** One live series: value axis with its unit, time axis over the last 90 s, grid lines, the line. */
export function Chart<P extends { time: number }>({ points, value, label, unit, cls }: ChartProps<P>) {
  const now = points.length > 0 ? points[points.length - 1]!.time : Date.now();
  const from = now - HISTORY_MS;
  const values = points.map(value);
  const top = niceMax(Math.max(0, ...values));
  const x = (t: number) => LEFT + ((t - from) / HISTORY_MS) * PLOT_W;
  const y = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H;
  const line = points
    .filter((p) => p.time >= from)
    .map((p) => `${x(p.time).toFixed(1)},${y(value(p)).toFixed(1)}`)
    .join(' ');
  const last = values.length > 0 ? values[values.length - 1]! : 0;
  const yTicks = [0, top / 2, top];
  return (
    <figure class={`chart ${cls}`}>
      <figcaption>
        {label} <strong>{short(last)}</strong> {unit}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${label} in ${unit}`}>
        <g class="axis y-axis">
          {yTicks.map((v) => (
            <g key={v}>
              <line class="grid" x1={LEFT} x2={W - RIGHT} y1={y(v)} y2={y(v)} />
              <text x={LEFT - 4} y={y(v) + 3} text-anchor="end">
                {short(v)}
              </text>
            </g>
          ))}
          <text class="unit" x={2} y={TOP + 2} dominant-baseline="hanging">
            {unit}
          </text>
        </g>
        <g class="axis x-axis">
          <line x1={LEFT} x2={W - RIGHT} y1={TOP + PLOT_H} y2={TOP + PLOT_H} />
          {TIME_TICKS.map((s) => (
            <text key={s} x={x(now - s * 1000)} y={H - 5} text-anchor={s === 0 ? 'end' : 'middle'}>
              {s === 0 ? 'now' : `-${s}s`}
            </text>
          ))}
        </g>
        <polyline points={line} fill="none" stroke="currentColor" stroke-width="2" />
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
      <Chart points={s} value={(p) => p.rate} label="Requests" unit="req/s" cls="rate" />
      <Chart points={s} value={(p) => p.errorRate} label="Errors" unit="err/s" cls="errors" />
      <Chart points={s} value={(p) => p.latencyMs} label="Mean latency" unit="ms" cls="latency" />
    </div>
  );
}
