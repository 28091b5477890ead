import { SwitchyardError } from '../core/errors.js';
import { type Provider, type ProviderSnapshot, untilAborted } from '../providers/contract.js';
import type { DynamicConfigInput } from './input-types.js';

/** Names a code provider may not take: the ones Switchyard runs itself. */
const RESERVED = new Set(['internal', 'file', 'docker', 'etcd', 'redis', 'zookeeper', 'http', 'rest']);

/**
 * A provider written in code: `set()` hands Switchyard this provider's whole dynamic configuration (in
 * Traefik's shape, as in a dynamic file), which replaces what it set before. Its elements are named
 * `name@<provider name>`. What it sets is validated like a file: a broken element is disabled and shows
 * in `runtime`, the rest is served.
 *
 * @example
 *   const routes = new ConfigProvider('app');
 *   routes.set({ http: { routers: { r: { rule: 'PathPrefix(`/`)', service: 's' } }, services: { … } } });
 */
export class ConfigProvider implements Provider {
  readonly name: string;
  private latest: unknown;
  private emitFn: ((snapshot: ProviderSnapshot) => void) | undefined;

  constructor(name = 'code') {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name) || RESERVED.has(name.toLowerCase())) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `provider name "${name}": use letters, digits, "-" and "_", and none of ${[...RESERVED].join(', ')}`,
      );
    }
    this.name = name;
  }

  /** Replaces this provider's dynamic configuration (a copy is taken; later changes to `config` do nothing). */
  set(config: DynamicConfigInput): void {
    this.latest = structuredClone(config);
    this.emitFn?.({ config: this.latest, issues: [] });
  }

  provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    this.emitFn = emit;
    if (this.latest !== undefined) emit({ config: this.latest, issues: [] });
    return untilAborted(signal).then(() => {
      this.emitFn = undefined;
    });
  }
}
