import { SwitchyardError } from '../../core/errors.js';
import { Registry } from '../../core/registry.js';
import {
  MATCHER_TABLES,
  type MatcherDefinition,
  type MatcherTables,
  type RulePredicate,
  type RuleSyntax,
} from '../../rules/index.js';

/**
 * What a TCP rule can see before any byte is forwarded: the SNI of the ClientHello (`host`, '' for plain
 * TCP), the client address and the ALPN protocols offered. The field names are those of the HTTP context,
 * so the HTTP `ClientIP` and `HostRegexp` matchers compile unchanged for TCP.
 */
export interface TcpMatchFacts {
  host: string;
  clientIp: string;
  alpn: readonly string[];
}

/** TCP predicates run on `TcpMatchFacts`; the rule compiler types predicates for HTTP contexts. */
function tcp(predicate: (f: TcpMatchFacts) => boolean): RulePredicate {
  return predicate as unknown as RulePredicate;
}

const ACME_TLS_ALPN = 'acme-tls/1';
// Traefik: `^(\*\.)?[[:word:]\.\-\:]+$` (v3), without the wildcard prefix in v2.
const HOST_OR_IP_V3 = /^(\*\.)?[\w.\-:]+$/;
const HOST_OR_IP_V2 = /^[\w.\-:]+$/;

/** v3 `HostSNI`: `*` matches every connection (even without SNI); `*.a.com` replaces exactly the first label. */
function sniTest(expression: string): (host: string) => boolean {
  const expr = expression.toLowerCase().replace(/\.$/, '');
  if (expr.startsWith('*')) {
    const suffix = expr.slice(1);
    return (host) => {
      if (host === '') return false;
      const dot = host.indexOf('.');
      return dot !== -1 && host.slice(dot) === suffix;
    };
  }
  return (host) => host !== '' && host === expr;
}

const hostSni: MatcherDefinition = {
  name: 'HostSNI',
  minArgs: 1,
  maxArgs: 1,
  compile(args, tools) {
    const expr = args[0]!;
    if (expr === '*') return tcp(() => true);
    if (!HOST_OR_IP_V3.test(expr)) tools.fail(0, `"${expr}" is not a valid hostname`);
    const test = sniTest(expr);
    return tcp((f) => test(f.host));
  },
  hostExpressions: (args) => args.map((a) => a.toLowerCase().replace(/\.$/, '')),
};

const hostSniV2: MatcherDefinition = {
  name: 'HostSNI',
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  compile(args, tools) {
    if (args[0] === '*') return tcp(() => true);
    const hosts = args.map((h, i) => {
      if (h !== '*' && !HOST_OR_IP_V2.test(h)) tools.fail(i, `"${h}" is not a valid hostname or IP`);
      return h.toLowerCase().replace(/\.$/, '');
    });
    if (hosts.includes('*')) return tcp(() => true);
    return tcp((f) => f.host !== '' && hosts.includes(f.host));
  },
  hostExpressions: (args) => args.map((a) => a.toLowerCase().replace(/\.$/, '')),
};

function alpnMatcher(maxArgs: number): MatcherDefinition {
  return {
    name: 'ALPN',
    minArgs: 1,
    maxArgs,
    compile(args, tools) {
      const i = args.indexOf(ACME_TLS_ALPN);
      if (i !== -1) tools.fail(i, `"${ACME_TLS_ALPN}" is not allowed`);
      return tcp((f) => f.alpn.some((p) => args.includes(p)));
    },
  };
}

/** An HTTP matcher reused under another name (`HostRegexp` → `HostSNIRegexp`). */
function borrowed(syntax: RuleSyntax, from: string, name: string): MatcherDefinition {
  const def = MATCHER_TABLES[syntax].get(from);
  if (!def) throw new SwitchyardError('INTERNAL', `the ${syntax} rule table has no ${from}`);
  return { ...def, name, hostExpressions: undefined };
}

function table(syntax: RuleSyntax, defs: MatcherDefinition[]): Registry<MatcherDefinition> {
  return new Registry<MatcherDefinition>(
    `${syntax} TCP rule matcher`,
    defs.map((d) => [d.name, d]),
  );
}

/** Traefik's TCP matchers (`pkg/muxer/tcp`): HostSNI, HostSNIRegexp, ClientIP, ALPN, for v3 and v2 rules. */
export const TCP_MATCHER_TABLES: MatcherTables = {
  v3: table('v3', [
    hostSni,
    borrowed('v3', 'HostRegexp', 'HostSNIRegexp'),
    borrowed('v3', 'ClientIP', 'ClientIP'),
    alpnMatcher(1),
  ]),
  v2: table('v2', [
    hostSniV2,
    borrowed('v2', 'HostRegexp', 'HostSNIRegexp'),
    borrowed('v2', 'ClientIP', 'ClientIP'),
    alpnMatcher(Number.POSITIVE_INFINITY),
  ]),
};
