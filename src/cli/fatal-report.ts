import { type ConfigIssue, formatIssues } from '../config/schema/issues.js';
import { errorMessage } from '../core/errors.js';
import { type LogFormat, Logger } from '../core/logger.js';

/**
 * Problems that stop Switchyard before it runs (an invalid static configuration, a port it cannot
 * listen on), on stderr: plain text, or, when the static configuration asks for `log.format: json`, one
 * JSON log line per problem (level `error`, `message` the title, `error` the problem; `key`, `source` and
 * `code` for a configuration issue), so that log collectors parse them as they parse the rest.
 *
 * @example
 *   reportFatal('json', 'invalid static configuration', loaded.issues);
 *   // {"level":"error","time":"…","error":"switchyard.yml:3: unknown key …","key":"…","source":"switchyard.yml:3",
 *   //  "code":"CONFIG_UNKNOWN_KEY","message":"invalid static configuration"}
 */
export function reportFatal(
  format: LogFormat | undefined,
  title: string,
  problems: readonly (string | ConfigIssue)[],
  out: { write(line: string): void } = process.stderr,
): void {
  const text = (p: string | ConfigIssue) => (typeof p === 'string' ? p : formatIssues([p]));
  if (format !== 'json') {
    out.write(`switchyard: ${title}${problems.length > 0 ? `:\n${problems.map(text).join('\n')}` : ''}\n`);
    return;
  }
  const log = Logger.create({ level: 'ERROR', format: 'json', stream: out });
  for (const p of problems.length > 0 ? problems : ['']) {
    if (typeof p === 'string') log.error(title, p === '' ? undefined : { error: p });
    else log.error(title, { error: text(p), key: p.path || undefined, source: p.source, code: p.code });
  }
}

/**
 * An error for the user: the message, with the system reason behind it in words (the port of a listen
 * that failed because it is in use, or needs privileges).
 */
export function failureMessage(err: unknown): string {
  const message = errorMessage(err);
  let cause: unknown = err;
  // System errors (from listen, open …) carry `syscall`; ours wrap them as `cause`.
  while (cause instanceof Error && !('syscall' in cause)) cause = cause.cause;
  if (!(cause instanceof Error)) return message;
  const sys = cause as NodeJS.ErrnoException & { port?: number; address?: string };
  const where = sys.port === undefined ? '' : `${sys.address ?? ''}:${sys.port}`;
  let reason: string;
  if (sys.code === 'EADDRINUSE') reason = `port ${sys.port} is already in use by another process`;
  else if (sys.code === 'EACCES' && sys.port !== undefined)
    reason = `permission denied for port ${sys.port} (ports below 1024 need privileges)`;
  else if (sys.code === 'EADDRNOTAVAIL') reason = `address ${sys.address} is not an address of this machine`;
  else reason = sys.message;
  // A listen error of our own already names what failed; a bare system error is named here.
  return cause === err ? `cannot listen on ${where}: ${reason}` : `${message}: ${reason}`;
}
