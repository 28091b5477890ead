import type { ServersTransport } from '../config/dynamic/index.js';
import type { StaticConfig } from '../config/static/index.js';
import type { GraphInput } from '../graph/build-generation.js';

/**
 * What the graph builder takes from the static configuration: the entrypoints (with their default
 * middlewares and TLS), the default servers transport, `providers.precedence` and
 * `core.defaultRuleSyntax`. UDP entrypoints are listed apart: HTTP and TCP routers never run on them.
 * One function for the runtime and `switchyard check`, so both judge a dynamic configuration the same way.
 */
export function staticGraphInput(
  config: StaticConfig,
): Pick<
  GraphInput,
  'entryPoints' | 'udpEntryPoints' | 'defaultTransport' | 'defaultTcpTransport' | 'routeOptions'
> {
  const st = config.serversTransport;
  const defaultTransport: ServersTransport = {
    insecureSkipVerify: st.insecureSkipVerify,
    rootCAs: st.rootCAs,
    maxIdleConnsPerHost: st.maxIdleConnsPerHost,
    forwardingTimeouts: st.forwardingTimeouts,
  };
  const all = Object.entries(config.entryPoints);
  const isUdp = ([, ep]: (typeof all)[number]) => isUdpAddress(ep.address);
  return {
    entryPoints: all
      .filter((e) => !isUdp(e))
      .map(([name, ep]) => ({
        name,
        asDefault: ep.asDefault,
        middlewares: ep.http.middlewares,
        tls: ep.http.tls !== undefined,
        tlsOptions: ep.http.tls?.options,
        certResolver: ep.http.tls?.certResolver,
      })),
    udpEntryPoints: all.filter(isUdp).map(([name]) => name),
    defaultTransport,
    defaultTcpTransport: config.tcpServersTransport,
    routeOptions: {
      providerPrecedence: config.providers.precedence,
      defaultRuleSyntax: config.core.defaultRuleSyntax,
    },
  };
}

/** An entrypoint address ending in `/udp` (case-insensitive) listens for UDP. */
export function isUdpAddress(address: string | undefined): boolean {
  // `address` is missing when the static configuration is invalid (`switchyard check` still judges the rest).
  return (address ?? '').toLowerCase().endsWith('/udp');
}
