import type { ElementIssue } from '../config/dynamic/validate.js';
import type { Logger } from '../core/logger.js';
import type { ProviderIssue } from '../providers/contract.js';

/**
 * Logs configuration problems without repeating them: each distinct problem is logged once, when the
 * version of the provider's configuration that introduced it is applied. A problem still present in the
 * next version is not logged again (a summary line says how many remain); one that went away and comes
 * back is logged again.
 */
export class IssueLog {
  private readonly previous = new Map<string, Set<string>>();

  constructor(private readonly logger: Logger) {}

  /** Records the problems of a newly applied version of `provider`'s configuration. */
  report(provider: string, providerIssues: readonly ProviderIssue[], issues: readonly ElementIssue[]): void {
    const before = this.previous.get(provider) ?? new Set<string>();
    const now = new Set<string>();
    let kept = 0;
    const seen = (key: string): boolean => {
      if (now.has(key)) return true;
      now.add(key);
      if (before.has(key)) kept++;
      return before.has(key);
    };
    for (const issue of providerIssues) {
      if (seen(`p|${issue.source ?? ''}|${issue.message}`)) continue;
      this.logger.error(issue.message, { providerName: provider, source: issue.source });
    }
    for (const issue of issues) {
      if (seen(`e|${issue.element ?? ''}|${issue.source ?? ''}|${issue.message}`)) continue;
      this.logger.error(issue.message, {
        providerName: provider,
        element: issue.element,
        source: issue.source,
      });
    }
    if (kept > 0) {
      this.logger.warn(`configuration still has ${kept} problem(s) reported earlier`, {
        providerName: provider,
      });
    }
    this.previous.set(provider, now);
  }
}
