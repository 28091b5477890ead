import type { ServersTransport } from '../config/dynamic/index.js';
import type { StaticConfig } from '../config/static/index.js';
import type { GraphInput } from '../graph/build-generation.js';

/**
 * What the graph builder takes from the static configuration: the entrypoints (with their default
 * middlewares and TLS), the default servers transport, `providers.precedence` and
 * `core.defaultRuleSyntax`. One function for the runtime and `switchyard check`, so both judge a dynamic
 * configuration the same way.
 */
export function staticGraphInput(
  config: StaticConfig,
): Pick<GraphInput, 'entryPoints' | 'defaultTransport' | 'defaultTcpTransport' | 'routeOptions'> {
  const st = config.serversTransport;
  const defaultTransport: ServersTransport = {
    insecureSkipVerify: st.insecureSkipVerify,
    rootCAs: st.rootCAs,
    maxIdleConnsPerHost: st.maxIdleConnsPerHost,
    forwardingTimeouts: st.forwardingTimeouts,
  };
  return {
    entryPoints: Object.entries(config.entryPoints).map(([name, ep]) => ({
      name,
      asDefault: ep.asDefault,
      middlewares: ep.http.middlewares,
      tls: ep.http.tls !== undefined,
      tlsOptions: ep.http.tls?.options,
      certResolver: ep.http.tls?.certResolver,
    })),
    defaultTransport,
    defaultTcpTransport: config.tcpServersTransport,
    routeOptions: {
      providerPrecedence: config.providers.precedence,
      defaultRuleSyntax: config.core.defaultRuleSyntax,
    },
  };
}
