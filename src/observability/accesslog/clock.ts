/**
 * Time strings for log lines, computed once per second: local date getters are slow (each asks the time
 * zone database), and every line of a second shares the date part of its strings.
 */
interface Second {
  second: number;
  /** `02/Jan/2006:15:04:05 -0700` */
  clf: string;
  /** `2006-01-02T15:04:05` */
  localPrefix: string;
  /** `-07:00` */
  offset: string;
  /** `2006-01-02T22:04:05.` (UTC) */
  utcPrefix: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
/** `000` … `999`: the milliseconds part of every line, without formatting a number each time. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
// The last two seconds: a line's start and its end (`time`) can fall on either side of a boundary.
let cached: Second | undefined;
let previous: Second | undefined;

function secondOf(ms: number): Second {
  const second = Math.floor(ms / 1000);
  if (cached?.second === second) return cached;
  if (previous?.second === second) return previous;
  previous = cached;
  const d = new Date(second * 1000);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const hh = pad(Math.trunc(off / 60));
  const mm = pad(off % 60);
  const [year, month, day, hours, minutes, seconds] = [
    d.getFullYear(),
    d.getMonth(),
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
  ];
  cached = {
    second,
    clf: `${pad(day)}/${MONTHS[month]}/${year}:${pad(hours)}:${pad(minutes)}:${pad(seconds)} ${sign}${hh}${mm}`,
    localPrefix: `${year}-${pad(month + 1)}-${pad(day)}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}`,
    offset: `${sign}${hh}:${mm}`,
    utcPrefix: d.toISOString().slice(0, 20),
  };
  return cached;
}

/** `02/Jan/2006:15:04:05 -0700`, local time, as in Apache and Traefik. */
export function clfTime(ms: number): string {
  return secondOf(ms).clf;
}

/** ISO 8601 in local time with milliseconds and offset: `2006-01-02T15:04:05.000-07:00`. */
export function localIso(ms: number): string {
  const s = secondOf(ms);
  return `${s.localPrefix}.${MILLIS[Math.floor(ms) % 1000]}${s.offset}`;
}

/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString`: `2006-01-02T22:04:05.000Z`. */
export function utcIso(ms: number): string {
  return `${secondOf(ms).utcPrefix}${MILLIS[Math.floor(ms) % 1000]}Z`;
}
