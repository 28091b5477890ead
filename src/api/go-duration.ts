/** Up to nine decimals, trailing zeros dropped (`1.500` → `1.5`, `2.000` → `2`). */
function decimals(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

/**
 * A duration in milliseconds written as Go's `time.Duration.String()` does, which is how Traefik's API
 * shows durations: `0s`, `250ms`, `1.5µs`, `10s`, `1m30s`, `2h0m0s`.
 *
 * @example goDuration(90_000) // '1m30s'
 */
export function goDuration(ms: number): string {
  let ns = Math.round(Math.abs(ms) * 1e6);
  if (ns === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${decimals(ns / 1e3)}µs`;
  if (ns < 1e9) return `${sign}${decimals(ns / 1e6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  ns -= hours * 3.6e12;
  const minutes = Math.floor(ns / 6e10);
  ns -= minutes * 6e10;
  const seconds = `${decimals(ns / 1e9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}
