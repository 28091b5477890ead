import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from '../schema/describe.js';
import type { PathSegment } from '../schema/normalize.js';
import { BUILTIN_SCHEMAS } from './builtin-schemas.js';
import { type DynamicConfig, ELEMENT_SECTIONS, emptyDynamicConfig, TlsCertificate } from './index.js';
import {
  type ElementContext,
  type ElementResult,
  type Locate,
  type MiddlewareLookup,
  validateElement,
  validateMiddleware,
  validateService,
} from './validate-element.js';
import { expectMapping, type KeyIssue, matchKeys, SECTION_KINDS } from './validate-keys.js';

export type { Locate, MiddlewareLookup } from './validate-element.js';

/**
 * A problem with one element of a dynamic configuration (the element is left out) or with the
 * configuration's shape (no `element`). `element` is `http.routers.api` inside one provider and
 * `http.routers.api@file` once the watcher has merged the providers.
 */
export interface ElementIssue {
  element?: string;
  message: string;
  /** Where the value came from, when the provider knows: `dyn/routes.yml:12:5`. */
  source?: string;
  /** The provider whose configuration has the problem. */
  provider?: string;
}

/** Options of `validateDynamic`. */
export interface ValidateOptions {
  /** Provider name, recorded on each issue. */
  provider: string;
  /** Maps a raw path (keys as written, e.g. `['HTTP', 'routers', 'api', 'rule']`) to its source. */
  locate?: Locate;
  /** The provider only carries strings (KV, labels): lists also accept `a,b`. */
  fromStrings?: boolean;
  /** HTTP middleware declarations (the instance's registry, plugins included); default: the built-ins. */
  middlewares?: MiddlewareLookup;
  /** TCP middleware declarations; default: the built-ins. */
  tcpMiddlewares?: MiddlewareLookup;
  /**
   * Called for each named element with its qualified-less name (`http.routers.api`), raw value and a way
   * to validate it; returns the result to use (the watcher returns the previous one for an unchanged value).
   */
  reuse?: (element: string, raw: unknown, validate: () => ElementResult) => ElementResult;
}

/** The valid part of a provider's configuration and the problems with the rest. */
export interface ValidationResult {
  config: DynamicConfig;
  issues: ElementIssue[];
}

const SCHEMAS = new Map<string, TSchema | undefined>(
  ELEMENT_SECTIONS.map(({ section, kind, schema }) => [`${section}.${kind}`, schema]),
);

/**
 * Validates one provider's raw dynamic configuration, element by element: a broken element is left out
 * with its problems recorded and the rest is kept. Section and kind keys match case-insensitively (unknown
 * ones get a did-you-mean); element names are kept as written and must not contain `@`.
 *
 * @example
 * const { config, issues } = validateDynamic(yaml, { provider: 'file' });
 * // issues: [{ element: 'http.middlewares.strip', message: 'unknown middleware type "stripPrefx" (did you mean "stripPrefix"?)' }]
 */
export function validateDynamic(raw: unknown, opts: ValidateOptions): ValidationResult {
  const config = emptyDynamicConfig();
  const issues: ElementIssue[] = [];
  const add = (issue: ElementIssue) => issues.push(clean({ ...issue, provider: opts.provider }));
  const report = (k: KeyIssue) =>
    add({ element: k.element, message: k.message, source: opts.locate?.(k.path) });
  if (raw === null || raw === undefined) return { config, issues };
  if (!isPlainObject(raw)) {
    report({ path: [], message: 'the dynamic configuration must be a mapping with http, tcp, udp and tls' });
    return { config, issues };
  }
  const ctx: ElementContext = { locate: opts.locate, fromStrings: opts.fromStrings };
  for (const section of matchKeys(raw, Object.keys(SECTION_KINDS), [], report)) {
    if (!expectMapping(section.value, [section.raw], report)) continue;
    for (const kind of matchKeys(section.value, SECTION_KINDS[section.canonical]!, [section.raw], report)) {
      const path = [section.raw, kind.raw];
      if (section.canonical === 'tls' && kind.canonical === 'certificates') {
        validateCertificates(kind.value, path, ctx, config, add);
        continue;
      }
      if (!expectMapping(kind.value, path, report)) continue;
      const key = `${section.canonical}.${kind.canonical}`;
      const target = (config as unknown as Record<string, Record<string, Record<string, unknown>>>)[
        section.canonical
      ]![kind.canonical]!;
      for (const [name, value] of Object.entries(kind.value)) {
        const element = `${key}.${name}`;
        const result = name.includes('@')
          ? nameWithAt(name, ctx.locate?.([...path, name]))
          : opts.reuse
            ? opts.reuse(element, value, () => validateOne(key, value, [...path, name], ctx, opts))
            : validateOne(key, value, [...path, name], ctx, opts);
        if (result.ok) target[name] = result.value;
        else for (const p of result.problems) add({ element, ...p });
      }
    }
  }
  return { config, issues };
}

/** `name@provider`, unless `name` is already qualified (has an `@`). */
export function qualify(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

function validateOne(
  key: string,
  value: unknown,
  path: PathSegment[],
  ctx: ElementContext,
  opts: ValidateOptions,
): ElementResult {
  if (key === 'http.middlewares')
    return validateMiddleware(opts.middlewares ?? BUILTIN_SCHEMAS.middlewares, value, path, ctx);
  if (key === 'tcp.middlewares')
    return validateMiddleware(opts.tcpMiddlewares ?? BUILTIN_SCHEMAS.tcpMiddlewares, value, path, ctx);
  const schema = SCHEMAS.get(key)!;
  if (key.endsWith('.services')) return validateService(schema, value, path, ctx);
  return validateElement(schema, value, path, ctx);
}

function nameWithAt(name: string, source: string | undefined): ElementResult {
  const message = `the name "${name}" contains "@", which is reserved for references to other providers (name@provider)`;
  return { ok: false, problems: [{ message, source }] };
}

/** `tls.certificates` is a list: each entry is validated on its own. */
function validateCertificates(
  value: unknown,
  path: PathSegment[],
  ctx: ElementContext,
  config: DynamicConfig,
  add: (issue: ElementIssue) => void,
): void {
  // Lists from KV or labels arrive as `{ "0": …, "1": … }`.
  const entries = Array.isArray(value)
    ? value.entries()
    : isPlainObject(value)
      ? Object.entries(value)
      : undefined;
  if (!entries) {
    add({ message: `"${path.join('.')}" must be a list of certificates`, source: ctx.locate?.(path) });
    return;
  }
  for (const [index, item] of entries) {
    const result = validateElement<TlsCertificate>(TlsCertificate, item, [...path, index], ctx);
    if (result.ok) config.tls.certificates.push(result.value);
    else for (const p of result.problems) add({ element: `tls.certificates[${index}]`, ...p });
  }
}

/** Drops keys whose value is undefined, so issues compare and serialize cleanly. */
function clean(issue: ElementIssue): ElementIssue {
  const out: ElementIssue = { message: issue.message };
  if (issue.element !== undefined) out.element = issue.element;
  if (issue.source !== undefined) out.source = issue.source;
  if (issue.provider !== undefined) out.provider = issue.provider;
  return out;
}
