import { parseHostPattern } from '../rules/host-pattern.js';
import { normaliseName } from './load.js';

/**
 * Server name → TLS options name for one entrypoint, from the hosts of its HTTPS routers. Lookup order:
 * exact name, then `*.parent` (one label), then `**.parent` (one or more labels, nearest parent first).
 * A name no router claims has no entry; the caller uses `default`.
 *
 * Traefik matches such names with `HostSNI` rules ordered by rule length, which ties between
 * `x.example.com` and `*.example.com`; the exact name always wins here.
 */
export class SniOptionsTable {
  private readonly exact = new Map<string, string>();
  private readonly wildcard = new Map<string, string>();
  private readonly deep = new Map<string, string>();

  /** Maps the host expression of a `Host` rule (`a.com`, `*.a.com`, `**.a.com`) to an options name. */
  set(hostExpression: string, optionsName: string): void {
    const pattern = parseHostPattern(hostExpression);
    if (pattern.kind === 'any') return;
    if (pattern.kind === 'exact') this.exact.set(normaliseName(pattern.host), optionsName);
    else (pattern.deep ? this.deep : this.wildcard).set(normaliseName(pattern.parent), optionsName);
  }

  get size(): number {
    return this.exact.size + this.wildcard.size + this.deep.size;
  }

  /** The options name for a server name (as sent in SNI), or undefined when no router claims it. */
  lookup(serverName: string): string | undefined {
    const name = normaliseName(serverName);
    const hit = this.exact.get(name);
    if (hit !== undefined) return hit;
    let dot = name.indexOf('.');
    if (dot <= 0) return undefined;
    const one = this.wildcard.get(name.slice(dot + 1));
    if (one !== undefined) return one;
    if (this.deep.size === 0) return undefined;
    while (dot > 0) {
      const parent = name.slice(dot + 1);
      const deep = this.deep.get(parent);
      if (deep !== undefined) return deep;
      dot = name.indexOf('.', dot + 1);
    }
    return undefined;
  }
}
