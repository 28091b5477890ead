/** Character classes of Go regexps, written as JS `u`-mode class contents. */

/** POSIX classes (`[[:alpha:]]`), ASCII only as in Go, as ranges to place inside a JS class. */
export const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * The JS `\p{…}` name for a Go Unicode class name: one- or two-letter names are general categories
 * (`L`, `Lu`, `Nd`…) in both dialects; other names are scripts (`Greek` → `Script=Greek`).
 */
export function unicodeClassName(goName: string): string {
  return goName === 'Any' || /^[A-Z][a-z]?$/.test(goName) ? goName : `Script=${goName}`;
}
