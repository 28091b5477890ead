import { type ConfigIssue, formatIssues } from '../config/schema/issues.js';
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
