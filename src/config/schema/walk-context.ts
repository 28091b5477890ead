import type { TSchema } from '@sinclair/typebox';
import type { ConfigIssue } from './issues.js';

/** A path segment: a key, or a list position. */
export type PathSegment = string | number;

/** Options of `normalize()`. */
export interface NormalizeOptions {
  /**
   * The input comes from a source that only carries strings (flags, env, KV, labels): any list of scalars
   * also accepts `a,b,c`. Scalar conversions from strings are allowed either way.
   */
  fromStrings?: boolean;
  /** Maps a path as written in the input (keys in the input's own spelling) to a source for the issue. */
  locate?: (path: PathSegment[]) => string | undefined;
  /**
   * Where the input sits in a larger document, e.g. `['http', 'routers', 'api']` when normalizing one
   * router: prepended to issue paths and to the paths given to `locate`.
   */
  prefix?: PathSegment[];
}

/** Where the walker is: the canonical path (for issues) and the path as written (for `locate`). */
export interface At {
  canon: PathSegment[];
  raw: PathSegment[];
}

/** Shared state of one `normalize()` call. */
export class WalkContext {
  readonly issues: ConfigIssue[] = [];

  constructor(readonly options: NormalizeOptions) {}

  get fromStrings(): boolean {
    return this.options.fromStrings === true;
  }

  /** Records an issue at `at`, asking `locate` for its source. */
  report(at: At, code: NonNullable<ConfigIssue['code']>, message: string): void {
    const issue: ConfigIssue = { path: at.canon.join('.'), message, code };
    const source = this.options.locate?.(at.raw);
    if (source !== undefined) issue.source = source;
    this.issues.push(issue);
  }
}

/** The position of a child: `canonKey` for issues, `rawKey` as it was written. */
export function child(at: At, canonKey: PathSegment, rawKey: PathSegment = canonKey): At {
  return { canon: [...at.canon, canonKey], raw: [...at.raw, rawKey] };
}

/** Walks a subtree; returns the converted value, or undefined to leave the key out. */
export type Walker = (schema: TSchema, input: unknown, at: At, ctx: WalkContext) => unknown;
