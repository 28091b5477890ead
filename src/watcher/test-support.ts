import type { Logger } from '../core/logger.js';
import type { Provider, ProviderSnapshot } from '../providers/contract.js';

/** A provider driven by the test: `send` emits a snapshot; `fail` makes `provide` reject. */
export class ManualProvider implements Provider {
  private emitFn: ((s: ProviderSnapshot) => void) | undefined;
  private rejectFn: ((err: Error) => void) | undefined;

  constructor(readonly name: string) {}

  provide(emit: (s: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    this.emitFn = emit;
    return new Promise<void>((resolve, reject) => {
      this.rejectFn = reject;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  send(config: unknown, issues: ProviderSnapshot['issues'] = []): void {
    if (!this.emitFn) throw new Error(`provider ${this.name} is not started`);
    this.emitFn({ config, issues });
  }

  fail(message: string): void {
    this.rejectFn?.(new Error(message));
  }
}

/** A logger that records what it was asked to log. */
export function recordingLogger(): { logger: Logger; lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const make = (): Logger => {
    const record = (level: string) => (msg: string) => {
      lines.push({ level, msg });
    };
    return {
      child: () => make(),
      trace: record('TRACE'),
      debug: record('DEBUG'),
      info: record('INFO'),
      warn: record('WARN'),
      error: record('ERROR'),
      enabled: () => true,
    } as unknown as Logger;
  };
  return { logger: make(), lines };
}

/** Waits until `cond()` holds, polling; fails after `limitMs` (a bound, never an assertion on time). */
export async function waitFor(cond: () => boolean, limitMs = 5000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending timers of `ms` run out, to check that nothing more happens. */
export function settle(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
