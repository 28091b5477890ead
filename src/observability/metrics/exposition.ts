/** Prometheus text exposition (format 0.0.4): escaping and one family at a time. */

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabel(value: string): string {
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="1",b="2"}` from parallel name and value lists ('' when there are none). */
export function labelText(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return '';
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += `${names[i]}="${escapeLabel(values[i] ?? '')}"`;
  }
  return `${out}}`;
}

/** A number as Prometheus writes it (`+Inf`, `NaN`, plain decimals otherwise). */
export function formatValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

/** Collects families into one exposition text. */
export class ExpositionWriter {
  private out = '';

  family(name: string, type: MetricType, help: string): void {
    this.out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
  }

  sample(name: string, names: readonly string[], values: readonly string[], value: number): void {
    this.out += `${name}${labelText(names, values)} ${formatValue(value)}\n`;
  }

  /** The `_bucket`, `_sum` and `_count` lines of one histogram series; `counts` are per bucket, not cumulative. */
  histogram(
    name: string,
    names: readonly string[],
    values: readonly string[],
    bounds: readonly number[],
    counts: ArrayLike<number>,
    sum: number,
    count: number,
  ): void {
    const withLe = [...names, 'le'];
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i] ?? 0;
      this.sample(`${name}_bucket`, withLe, [...values, formatValue(bounds[i]!)], cumulative);
    }
    this.sample(`${name}_bucket`, withLe, [...values, '+Inf'], count);
    this.sample(`${name}_sum`, names, values, sum);
    this.sample(`${name}_count`, names, values, count);
  }

  text(): string {
    return this.out;
  }
}
