import { SwitchyardError } from '../core/errors.js';

/**
 * Compiles a Go (RE2) regular expression as a JavaScript one: `(?P<name>` becomes `(?<name>`, and the
 * inline flags Go allows at the start (`(?i)`, `(?s)`, `(?m)`, also `^(?i)`) become JavaScript flags.
 */
export function compileGoRegex(source: string, owner: string, extraFlags = ''): RegExp {
  let text = source.replace(/\(\?P</g, '(?<');
  let flags = extraFlags;
  // `^(?i)…` (flags right after the anchor, as in Traefik's own examples) means the same as `(?i)^…`
  // for `i` and `s`, which do not change what `^` matches.
  const lead = /^(\^?)\(\?([ims]+)\)/.exec(text);
  if (lead && !(lead[1] === '^' && lead[2]!.includes('m'))) {
    text = lead[1] + text.slice(lead[0].length);
    for (const f of lead[2]!) if (!flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(text, flags);
  } catch (err) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `${owner}: regex ${JSON.stringify(source)} is invalid: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Turns a Go replacement template (`${1}`, `$1`, `${name}`, `$$`) into a function applying it to a match,
 * prepared once.
 */
export function compileGoReplacement(template: string): (match: RegExpExecArray) => string {
  const parts: (string | number)[] = [];
  const re = /\$(\$|\{(\w+)\}|(\w+))/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    parts.push(template.slice(last, m.index));
    if (m[1] === '$') parts.push('$');
    else {
      const name = m[2] ?? m[3]!;
      parts.push(/^\d+$/.test(name) ? Number(name) : name);
    }
    last = re.lastIndex;
  }
  parts.push(template.slice(last));
  return (match) => {
    let out = parts[0] as string;
    for (let i = 1; i < parts.length; i += 2) {
      const p = parts[i]!;
      if (typeof p === 'number') out += match[p] ?? '';
      else out += p === '$' ? '$' : (match.groups?.[p] ?? '');
      out += parts[i + 1] as string;
    }
    return out;
  };
}

/** Replaces every match of global `re` in `text`; undefined when nothing matched. */
export function replaceAllGo(
  re: RegExp,
  apply: (m: RegExpExecArray) => string,
  text: string,
): string | undefined {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let matched = false;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    matched = true;
    out += text.slice(last, m.index) + apply(m);
    last = m.index + m[0].length;
    if (m[0] === '') re.lastIndex++;
  }
  return matched ? out + text.slice(last) : undefined;
}
