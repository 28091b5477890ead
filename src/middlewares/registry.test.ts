import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalize } from '../config/schema/normalize.js';
import { MIDDLEWARE_DECLARATIONS } from './declarations.js';
import { builtinMiddlewares, MIDDLEWARE_DEFINITIONS } from './registry.js';
import { TCP_MIDDLEWARE_DEFINITIONS } from './tcp/index.js';
import { TCP_MIDDLEWARE_DECLARATIONS } from './tcp/schema.js';

const here = fileURLToPath(new URL('.', import.meta.url));

const middlewareRegistry = builtinMiddlewares();

describe('middlewareRegistry', () => {
  it('lists every middleware under its Traefik key', () => {
    assert.deepEqual(middlewareRegistry.keys().sort(), [
      'addPrefix',
      'basicAuth',
      'buffering',
      'chain',
      'circuitBreaker',
      'compress',
      'contentType',
      'digestAuth',
      'encodedCharacters',
      'errors',
      'forwardAuth',
      'grpcWeb',
      'headers',
      'inFlightReq',
      'ipAllowList',
      'ipWhiteList',
      'passTLSClientCert',
      'rateLimit',
      'redirectRegex',
      'redirectScheme',
      'replacePath',
      'replacePathRegex',
      'retry',
      'stripPrefix',
      'stripPrefixRegex',
    ]);
  });

  it('looks keys up without regard to case', () => {
    assert.equal(middlewareRegistry.get('STRIPPREFIX')?.type, 'stripPrefix');
    assert.equal(middlewareRegistry.get('redirectscheme')?.type, 'redirectScheme');
    assert.equal(middlewareRegistry.canonical('addprefix'), 'addPrefix');
    assert.equal(middlewareRegistry.get('STRIPPREFIXREGEX')?.type, 'stripPrefixRegex');
    assert.equal(middlewareRegistry.get('GRPCWEB')?.type, 'grpcWeb');
  });

  it('builds a fresh registry each time, so plugins registered for one instance stay there', () => {
    const mine = builtinMiddlewares();
    mine.register('plugin.x', {
      type: 'plugin.x',
      schema: MIDDLEWARE_DECLARATIONS[0]!.schema,
      create: () => (n) => n,
    });
    assert.ok(mine.get('plugin.x'));
    assert.equal(builtinMiddlewares().get('plugin.x'), undefined);
  });

  it('declares (for validation) exactly what it defines: same keys, schemas and references', () => {
    for (const [definitions, declarations] of [
      [MIDDLEWARE_DEFINITIONS, MIDDLEWARE_DECLARATIONS],
      [TCP_MIDDLEWARE_DEFINITIONS, TCP_MIDDLEWARE_DECLARATIONS],
    ] as const) {
      assert.deepEqual(
        definitions.map((d) => [d.type, d.schema, d.refs]),
        declarations.map((d) => [d.type, d.schema, d.refs]),
      );
    }
  });

  it('has one folder per definition, named by its key in lower case (tcp/ holds the TCP middlewares)', () => {
    const folders = readdirSync(here)
      .filter((entry) => entry !== 'tcp' && statSync(`${here}/${entry}`).isDirectory())
      .sort();
    assert.deepEqual(folders, MIDDLEWARE_DEFINITIONS.map((def) => def.type.toLowerCase()).sort());
  });
});

describe('middleware schemas', () => {
  const schemaOf = (type: string) => middlewareRegistry.get(type)!.schema;

  it('accept Traefik spellings and string forms (labels, KV) and apply defaults', () => {
    let result = normalize(schemaOf('stripPrefix'), { Prefixes: '/a,/b' });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.value, { prefixes: ['/a', '/b'] });

    result = normalize(schemaOf('redirectScheme'), { scheme: 'https', port: 443 });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.value, { scheme: 'https', port: '443', permanent: false });

    result = normalize(schemaOf('chain'), { middlewares: { 0: 'a', 1: 'b@file' } });
    assert.deepEqual(result.value, { middlewares: ['a', 'b@file'] });

    result = normalize(schemaOf('headers'), {
      customRequestHeaders: { 'X-Script-Name': 'test' },
      accessControlAllowMethods: 'GET,POST',
      stsSeconds: '31536000',
    });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.value, {
      customRequestHeaders: { 'X-Script-Name': 'test' },
      accessControlAllowMethods: ['GET', 'POST'],
      stsSeconds: 31536000,
    });
  });

  it('report missing and unknown options', () => {
    assert.equal(normalize(schemaOf('redirectScheme'), {}).issues[0]?.code, 'CONFIG_MISSING');
    assert.equal(normalize(schemaOf('addPrefix'), {}).issues[0]?.code, 'CONFIG_MISSING');
    const unknown = normalize(schemaOf('headers'), { frameDenny: true }).issues[0];
    assert.equal(unknown?.code, 'CONFIG_UNKNOWN_KEY');
    assert.match(unknown?.message ?? '', /did you mean "frameDeny"/);
  });
});
