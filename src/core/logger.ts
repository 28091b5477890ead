import { createWriteStream, type WriteStream } from 'node:fs';

/** Traefik's log levels, lowest first. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'common' | 'json';
export type LogFields = Record<string, unknown>;

interface Sink {
  write(line: string): void;
}

interface LoggerState {
  threshold: number;
  format: LogFormat;
  sink: Sink;
  noColor: boolean;
}

const LEVEL_INDEX: Record<LogLevel, number> = {
  TRACE: 0,
  DEBUG: 1,
  INFO: 2,
  WARN: 3,
  ERROR: 4,
  FATAL: 5,
  PANIC: 6,
};
const SHORT: Record<LogLevel, string> = {
  TRACE: 'TRC',
  DEBUG: 'DBG',
  INFO: 'INF',
  WARN: 'WRN',
  ERROR: 'ERR',
  FATAL: 'FTL',
  PANIC: 'PNC',
};

export function parseLogLevel(value: string): LogLevel | undefined {
  const upper = value.trim().toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : undefined;
}

/**
 * One structured logger for the whole process. Components take a child bound to their name at build
 * time: `logger.child({ component: 'file-provider' })`.
 *
 * @example
 *   log.warn('router disabled', { router: 'api@file', error: err.message });
 */
export class Logger {
  private constructor(
    private readonly state: LoggerState,
    private readonly bound: LogFields,
  ) {}

  static create(
    opts: {
      level?: LogLevel;
      format?: LogFormat;
      filePath?: string;
      noColor?: boolean;
      /** Where lines go when there is no `filePath` (default stdout). */
      stream?: Sink;
    } = {},
  ): Logger {
    return new Logger(
      {
        threshold: LEVEL_INDEX[opts.level ?? 'ERROR'],
        format: opts.format ?? 'common',
        sink: opts.filePath || !opts.stream ? openSink(opts.filePath) : opts.stream,
        noColor: opts.noColor ?? true,
      },
      {},
    );
  }

  /** Reconfigures every logger sharing this root (children included). */
  configure(opts: { level?: LogLevel; format?: LogFormat; filePath?: string }): void {
    if (opts.level) this.state.threshold = LEVEL_INDEX[opts.level];
    if (opts.format) this.state.format = opts.format;
    if (opts.filePath !== undefined) this.state.sink = openSink(opts.filePath);
  }

  child(fields: LogFields): Logger {
    return new Logger(this.state, { ...this.bound, ...fields });
  }

  enabled(level: LogLevel): boolean {
    return LEVEL_INDEX[level] >= this.state.threshold;
  }

  trace(msg: string, fields?: LogFields): void {
    this.log('TRACE', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.log('DEBUG', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('INFO', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('WARN', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('ERROR', msg, fields);
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LEVEL_INDEX[level] < this.state.threshold) return;
    const all = fields ? { ...this.bound, ...fields } : this.bound;
    const time = new Date().toISOString();
    const line =
      this.state.format === 'json'
        ? JSON.stringify({ level: level.toLowerCase(), time, ...serialisable(all), message: msg })
        : `${time} ${SHORT[level]} ${msg}${formatFields(all)}`;
    this.state.sink.write(`${line}\n`);
  }
}

function openSink(filePath: string | undefined): Sink {
  if (!filePath) return process.stdout;
  const stream: WriteStream = createWriteStream(filePath, { flags: 'a' });
  // A log file that cannot be written must never take the proxy down.
  stream.on('error', () => {});
  return stream;
}

function serialisable(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? v.message : v;
  return out;
}

function formatFields(fields: LogFields): string {
  let out = '';
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const text = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
    out += ` ${k}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  }
  return out;
}

/** The process-wide root logger; the CLI configures it from the static configuration. */
export const rootLogger = Logger.create({ level: 'ERROR' });
