const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a duration the way Traefik does: Go syntax (`1h30m`, `250ms`, `-1s`) or a bare number meaning
 * seconds. Returns milliseconds, or undefined when the text is not a duration.
 *
 * @example parseDuration('1m30s') === 90_000; parseDuration(10) === 10_000
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const match = /^([-+]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of match[2]!.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  return match[1] === '-' ? -total : total;
}

/** Formats milliseconds as a Go-style duration (`1m30s`), for logs and the API. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  let out = '';
  const h = Math.floor(rest / 3_600_000);
  if (h) out += `${h}h`;
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  if (m) out += `${m}m`;
  rest -= m * 60_000;
  if (rest) out += `${Number((rest / 1000).toFixed(3))}s`;
  return sign + out;
}
