import { readFileSync } from 'node:fs';
import { SwitchyardError } from '../core/errors.js';

/**
 * The user lines of an auth middleware: the non-empty, non-comment lines of `usersFile` (read once, when
 * the middleware is built) followed by `users`. As in Traefik, a later line wins, so a user given in
 * `users` overrides the same user in the file.
 */
export function userLines(
  users: readonly string[] | undefined,
  usersFile: string | undefined,
  owner: string,
): string[] {
  const lines: string[] = [];
  if (usersFile) {
    let text: string;
    try {
      text = readFileSync(usersFile, 'utf8');
    } catch (err) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `${owner}: usersFile ${JSON.stringify(usersFile)} cannot be read: ${(err as Error).message}`,
        { cause: err },
      );
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line !== '' && !line.startsWith('#')) lines.push(line);
    }
  }
  if (users) lines.push(...users);
  return lines;
}

/** The decoded `user:password` of a `Basic` credential, or undefined. */
export function parseBasic(value: string | undefined): [string, string] | undefined {
  if (value === undefined || !/^basic /i.test(value)) return undefined;
  const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
