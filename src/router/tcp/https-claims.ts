import type { HttpRouter } from '../../config/dynamic/index.js';
import type { RuntimeConfig } from '../../config/runtime/runtime-config.js';
import { hostPatternTest, parseHostPattern } from '../../rules/host-pattern.js';
import { hostsOf, parseRule, type RuleSyntax } from '../../rules/index.js';

/**
 * Which SNI names the HTTPS routers of one entrypoint claim (Traefik's HTTPS muxer): every host of a
 * `Host` matcher of an enabled TLS router; a TLS router without a host is a catch-all. Traefik's order
 * puts an HTTPS router with a matching host before TLS TCP routers, and a catch-all one after them.
 */
export class HttpsClaims {
  /** Number of HTTPS routers on the entrypoint. */
  readonly routes: number;
  /** Number of plain (non-TLS) HTTP routers on the entrypoint. */
  readonly plainRoutes: number;
  /** Some HTTPS router has no host (it takes any SNI). */
  readonly catchAll: boolean;
  private readonly exact = new Set<string>();
  private readonly patterns: ((host: string) => boolean)[] = [];

  constructor(
    entryPoint: string,
    entryPointTls: boolean,
    runtime: RuntimeConfig,
    routers: Record<string, HttpRouter>,
    defaultSyntax: RuleSyntax = 'v3',
  ) {
    let routes = 0;
    let plainRoutes = 0;
    let catchAll = false;
    for (const [name, rt] of Object.entries(runtime.routers)) {
      const router = routers[name];
      if (!router || rt.status === 'disabled' || !rt.entryPoints.includes(entryPoint)) continue;
      if (!rt.tls && !entryPointTls) {
        plainRoutes++;
        continue;
      }
      routes++;
      let hosts: string[];
      try {
        const syntax = router.ruleSyntax?.toLowerCase() === 'v2' ? 'v2' : defaultSyntax;
        hosts = hostsOf(parseRule(router.rule, syntax));
      } catch {
        hosts = [];
      }
      if (hosts.length === 0) catchAll = true;
      for (const h of hosts) {
        const pattern = parseHostPattern(h);
        if (pattern.kind === 'exact') this.exact.add(pattern.host);
        else this.patterns.push(hostPatternTest(pattern));
      }
    }
    this.routes = routes;
    this.plainRoutes = plainRoutes;
    this.catchAll = catchAll;
  }

  /** True when an HTTPS router names this SNI (exactly or by wildcard). */
  claims(serverName: string): boolean {
    if (serverName === '') return false;
    if (this.exact.has(serverName)) return true;
    for (const test of this.patterns) if (test(serverName)) return true;
    return false;
  }
}
