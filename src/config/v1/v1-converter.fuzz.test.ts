import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertClearMessage, RUNS, scalar, tokenText, treeOf } from '../../../test/helpers/fuzz.js';
import { validateDynamic } from '../dynamic/validate.js';
import { convertV1Dynamic, convertV1Labels, convertV1Rules, convertV1Static } from './index.js';

/** v1 route pieces: every matcher and modifier of Traefik 1.7, separators and template syntax. */
const ROUTE_TOKENS = [
  'Host:',
  'HostRegexp:',
  'Path:',
  'PathPrefix:',
  'PathStrip:',
  'PathPrefixStrip:',
  'AddPrefix:',
  'ReplacePath:',
  'ReplacePathRegex:',
  'Method:',
  'Headers:',
  'HeadersRegexp:',
  'Query:',
  'Hots:',
  ';',
  ',',
  ':',
  '/',
  'a.example.com',
  '/api',
  '{id:[0-9]+}',
  '{sub}',
  '{',
  '}',
  '^/(a+)+$',
  ' ',
];

const V1_KEYS = [
  'frontends',
  'backends',
  'routes',
  'rule',
  'backend',
  'servers',
  'url',
  'weight',
  'loadBalancer',
  'method',
  'stickiness',
  'healthCheck',
  'circuitBreaker',
  'expression',
  'headers',
  'redirect',
  'auth',
  'basic',
  'users',
  'whiteList',
  'sourceRange',
  'rateLimit',
  'rateSet',
  'errors',
  'entryPoints',
  'passHostHeader',
  'priority',
  'address',
  'tls',
  'certificates',
  'file',
  'docker',
  'api',
  'defaultEntryPoints',
  'logLevel',
];

function checkMessages(
  out: { warnings: string[]; errors: (string | { message: string })[] },
  input: unknown,
) {
  for (const w of out.warnings) assertClearMessage(w, input);
  for (const e of out.errors) assertClearMessage(typeof e === 'string' ? e : e.message, input);
}

describe('v1 converter: no input crashes it', () => {
  it('routes: any list of rule strings converts or names why Traefik 1.7 refuses it', () => {
    fc.assert(
      fc.property(fc.array(tokenText(ROUTE_TOKENS, 10), { maxLength: 3 }), (routes) => {
        const out = convertV1Rules(routes);
        checkMessages(out, routes);
        if (out.errors.length === 0) assert.equal(typeof out.rule, 'string');
      }),
      { numRuns: RUNS },
    );
  });

  it('dynamic: any tree converts to a configuration the validator accepts or reports element by element', () => {
    fc.assert(
      fc.property(treeOf(V1_KEYS, scalar), (tree) => {
        const out = convertV1Dynamic(tree);
        checkMessages(out, tree);
        const checked = validateDynamic(out.config, { provider: 'file' });
        for (const issue of checked.issues) assertClearMessage(issue.message, tree);
      }),
      { numRuns: RUNS },
    );
  });

  it('static: any tree converts with warnings, never an exception', () => {
    fc.assert(
      fc.property(treeOf(V1_KEYS, scalar), (tree) => checkMessages(convertV1Static(tree), tree)),
      { numRuns: RUNS },
    );
  });

  it('labels: any traefik.* labels of a container convert or report', () => {
    const label = fc.tuple(
      fc.constantFrom('traefik.', 'traefik.frontend.', 'traefik.backend.', 'traefik.web.frontend.'),
      tokenText([
        'rule',
        'port',
        'auth.basic.users',
        'headers.customRequestHeaders',
        'entryPoints',
        '.',
        'a',
      ]),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(label, tokenText(ROUTE_TOKENS, 6)), { maxLength: 6 }),
        fc.array(fc.integer({ min: -1, max: 70_000 }), { maxLength: 2 }),
        (pairs, ports) => {
          const labels = Object.fromEntries(pairs.map(([[prefix, key], value]) => [prefix + key, value]));
          checkMessages(convertV1Labels(labels, { name: 'c1', ip: '10.0.0.2', ports }), labels);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
