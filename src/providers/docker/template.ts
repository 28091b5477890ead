import { SwitchyardError } from '../../core/errors.js';

/**
 * The small part of Go's text/template (with a few sprig functions) that `defaultRule` templates use:
 * `{{ normalize .Name }}`, `{{ .ContainerName }}`, `{{ index .Labels "a.b" }}`, pipelines
 * (`{{ .Name | lower }}`), parentheses, `{{ if … }}…{{ else }}…{{ end }}` and `{{- … -}}` trimming.
 * Parsed once when the provider starts; a template outside this subset is refused with the reason.
 */

/** The values a template reads: `.Name` (normalized service name), `.ContainerName`, `.Labels`. */
export type TemplateData = Record<string, unknown>;
export type RenderTemplate = (data: TemplateData) => string;

type Expr =
  | { kind: 'lit'; value: string }
  | { kind: 'field'; path: string[] }
  | { kind: 'call'; fn: string; args: Expr[] };
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'out'; expr: Expr }
  | { kind: 'if'; cond: Expr; yes: Node[]; no: Node[] };

/** Traefik's `normalize`: runs of characters that are not letters or digits become one `-`. */
export function normalizeName(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join('-');
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  normalize: (s) => normalizeName(str(s)),
  index: (m, k) => (m && typeof m === 'object' ? (m as Record<string, unknown>)[str(k)] : undefined),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  trim: (s) => str(s).trim(),
  trimPrefix: (p, s) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimSuffix: (p, s) => (str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length || undefined) : str(s)),
  replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
  default: (d, v) => (truthy(v) ? v : d),
  printf: (format, ...args) => {
    let i = 0;
    return str(format).replace(/%[sdv%]/g, (m) => (m === '%%' ? '%' : str(args[i++])));
  },
};

function truthy(v: unknown): boolean {
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function fail(template: string, reason: string): never {
  throw new SwitchyardError('CONFIG_INVALID', `defaultRule template "${template}": ${reason}`);
}

/** Splits an action's text into tokens: strings, fields, identifiers, `|`, `(` and `)`. */
function tokenize(source: string, template: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(\.[A-Za-z0-9_.]*)|([A-Za-z_][A-Za-z0-9_]*)|([|()]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) fail(template, `unexpected "${source.slice(at).trim()}"`);
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]!);
    at = re.lastIndex;
  }
  return tokens;
}

/** Parses a pipeline: `cmd | cmd …`, each cmd a function call or an operand. */
function parsePipeline(tokens: string[], template: string): Expr {
  let pos = 0;
  const operand = (): Expr => {
    const t = tokens[pos++];
    if (t === undefined) fail(template, 'an expression is missing');
    if (t === '(') {
      const inner = pipeline();
      if (tokens[pos++] !== ')') fail(template, 'a ")" is missing');
      return inner;
    }
    if (t.startsWith('"')) return { kind: 'lit', value: JSON.parse(t) as string };
    if (t.startsWith('`')) return { kind: 'lit', value: t.slice(1, -1) };
    if (t.startsWith('.')) return { kind: 'field', path: t.split('.').filter(Boolean) };
    if (t === ')' || t === '|') fail(template, `unexpected "${t}"`);
    if (!(t in FUNCTIONS)) fail(template, `function "${t}" is not supported`);
    return { kind: 'call', fn: t, args: [] };
  };
  const command = (): Expr => {
    const head = operand();
    const args: Expr[] = [];
    while (pos < tokens.length && tokens[pos] !== '|' && tokens[pos] !== ')') args.push(operand());
    if (head.kind === 'call') return { ...head, args };
    if (args.length > 0) fail(template, 'only a function takes arguments');
    return head;
  };
  const pipeline = (): Expr => {
    let expr = command();
    while (tokens[pos] === '|') {
      pos++;
      const next = command();
      if (next.kind !== 'call') fail(template, 'a pipeline stage must be a function');
      expr = { ...next, args: [...next.args, expr] };
    }
    return expr;
  };
  const expr = pipeline();
  if (pos < tokens.length) fail(template, `unexpected "${tokens[pos]}"`);
  return expr;
}

/** Parses the whole template into a tree of text, outputs and if/else blocks. */
function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: { nodes: Node[]; block?: Extract<Node, { kind: 'if' }>; inElse?: boolean }[] = [
    { nodes: root },
  ];
  const re = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.trimStart();
    if (m[1]) text = text.trimEnd();
    if (text) stack.at(-1)!.nodes.push({ kind: 'text', text });
    trimNext = Boolean(m[3]);
    last = re.lastIndex;
    const tokens = tokenize(m[2]!, template);
    const top = stack.at(-1)!;
    if (tokens[0] === 'if') {
      const block: Extract<Node, { kind: 'if' }> = {
        kind: 'if',
        cond: parsePipeline(tokens.slice(1), template),
        yes: [],
        no: [],
      };
      top.nodes.push(block);
      stack.push({ nodes: block.yes, block });
    } else if (tokens[0] === 'else' && tokens.length === 1) {
      if (!top.block || top.inElse) fail(template, '"else" outside an "if"');
      stack[stack.length - 1] = { nodes: top.block.no, block: top.block, inElse: true };
    } else if (tokens[0] === 'end' && tokens.length === 1) {
      if (!top.block) fail(template, '"end" without an "if"');
      stack.pop();
    } else {
      if (tokens.length === 0) fail(template, 'an empty action');
      top.nodes.push({ kind: 'out', expr: parsePipeline(tokens, template) });
    }
  }
  if (stack.length > 1) fail(template, 'an "if" is missing its "end"');
  const rest = trimNext ? template.slice(last).trimStart() : template.slice(last);
  if (rest.includes('{{')) fail(template, 'an action is not closed');
  if (rest) root.push({ kind: 'text', text: rest });
  return root;
}

function evaluate(expr: Expr, data: TemplateData): unknown {
  switch (expr.kind) {
    case 'lit':
      return expr.value;
    case 'field': {
      let v: unknown = data;
      for (const key of expr.path)
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      return v;
    }
    case 'call':
      return FUNCTIONS[expr.fn]!(...expr.args.map((a) => evaluate(a, data)));
  }
}

function render(nodes: Node[], data: TemplateData): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'out') out += str(evaluate(node.expr, data));
    else out += render(truthy(evaluate(node.cond, data)) ? node.yes : node.no, data);
  }
  return out;
}

/**
 * Compiles a `defaultRule` template; throws CONFIG_INVALID naming what is not supported.
 *
 * @example compileTemplate('Host(`{{ normalize .Name }}.docker.localhost`)')({ Name: 'web_1' })
 *   // → 'Host(`web-1.docker.localhost`)'
 */
export function compileTemplate(template: string): RenderTemplate {
  const nodes = parse(template);
  return (data) => render(nodes, data);
}
