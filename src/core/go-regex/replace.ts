import type { GoMatch, GoRegex } from './index.js';

/**
 * Turns a Go replacement template (`${1}`, `$1`, `${name}`, `$name`, `$$`) into a function applying it to
 * a match, prepared once. As in Go's `Expand`, `$1x` names group "1x" and an unknown group gives "".
 */
export function compileGoReplacement(template: string): (match: GoMatch) => string {
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

/**
 * Go's `ReplaceAllString`: every match replaced, except an empty match right after the previous match;
 * the search always moves on by at least one character. Undefined when nothing matched.
 */
export function replaceAllGo(re: GoRegex, apply: (m: GoMatch) => string, text: string): string | undefined {
  let out = '';
  let lastEnd = 0;
  let from = 0;
  let matched = false;
  while (from <= text.length) {
    const m = re.exec(text, from);
    if (m === null) break;
    matched = true;
    const end = m.index + m[0].length;
    out += text.slice(lastEnd, m.index);
    if (end > lastEnd || m.index === 0) out += apply(m);
    lastEnd = end;
    const width = (text.codePointAt(from) ?? 0) > 0xffff ? 2 : 1;
    from = from + width > end ? from + width : end;
  }
  return matched ? out + text.slice(lastEnd) : undefined;
}
