import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envToSource } from './env.js';

describe('envToSource', () => {
  it('reads SWITCHYARD_ and TRAEFIK_ variables into a lower-cased tree', () => {
    const { source, issues } = envToSource({
      SWITCHYARD_ENTRYPOINTS_WEB_ADDRESS: ':80',
      TRAEFIK_LOG_LEVEL: 'DEBUG',
      PATH: '/usr/bin',
    });
    assert.deepEqual(issues, []);
    assert.deepEqual(source.tree, { entrypoints: { web: { address: ':80' } }, log: { level: 'DEBUG' } });
    assert.equal(source.fromStrings, true);
  });

  it('lets SWITCHYARD_ win over TRAEFIK_ for the same key', () => {
    const { source } = envToSource({ SWITCHYARD_LOG_LEVEL: 'INFO', TRAEFIK_LOG_LEVEL: 'DEBUG' });
    assert.deepEqual(source.tree, { log: { level: 'INFO' } });
    assert.equal(source.locate(['log', 'level']), 'env SWITCHYARD_LOG_LEVEL');
  });

  it('accepts prefixes in any case', () => {
    const { source } = envToSource({ switchyard_ping: '' });
    assert.deepEqual(source.tree, { ping: '' });
  });

  it('ignores variables whose first segment is not a top-level key', () => {
    const { source } = envToSource({ SWITCHYARD_SERVICE_HOST: '10.0.0.1', TRAEFIK_PORT_80_TCP: 'tcp://x' });
    assert.deepEqual(source.tree, {});
  });

  it('sets the configuration file aside', () => {
    const both = envToSource({ TRAEFIK_CONFIGFILE: 't.yml', SWITCHYARD_CONFIGFILE: 's.yml' });
    assert.deepEqual(both.configFile, { path: 's.yml', label: 'env SWITCHYARD_CONFIGFILE' });
    assert.deepEqual(envToSource({ TRAEFIK_CONFIGFILE: 't.yml' }).configFile?.path, 't.yml');
  });

  it('reports empty segments', () => {
    const { issues } = envToSource({ SWITCHYARD_LOG__LEVEL: 'x' });
    assert.equal(issues[0]!.source, 'env SWITCHYARD_LOG__LEVEL');
  });
});
