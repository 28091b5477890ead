import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalize } from '../config/schema/normalize.js';
import { MIDDLEWARE_DEFINITIONS, middlewareRegistry } from './registry.js';

const here = fileURLToPath(new URL('.', import.meta.url));

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
