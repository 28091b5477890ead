import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagsToSource, parseArgs } from './flags.js';

const entries = (argv: string[]) => [...parseArgs(argv).flags];

describe('parseArgs', () => {
  it('reads --key=value and keeps the key as written', () => {
    assert.deepEqual(entries(['--entryPoints.web.address=:80', '--log.level=DEBUG']), [
      ['entryPoints.web.address', ':80'],
      ['log.level', 'DEBUG'],
    ]);
  });

  it('keeps everything after the first = in the value', () => {
    assert.deepEqual(entries(['--providers.docker.constraints=Label(`a`,`b=c`)']), [
      ['providers.docker.constraints', 'Label(`a`,`b=c`)'],
    ]);
  });

  it('takes the next argument as the value of a key that needs one, as Traefik does', () => {
    const parsed = parseArgs(['--log.level', 'DEBUG', 'check', '--entrypoints.web.address', ':80']);
    assert.equal(parsed.command, 'check');
    assert.deepEqual(
      [...parsed.flags],
      [
        ['log.level', 'DEBUG'],
        ['entrypoints.web.address', ':80'],
      ],
    );
  });

  it('accepts a negative number as the next argument', () => {
    assert.deepEqual(entries(['--providers.http.maxResponseBodySize', '-1']), [
      ['providers.http.maxResponseBodySize', '-1'],
    ]);
  });

  it('reads a bare boolean or section flag as true without taking the next argument', () => {
    const parsed = parseArgs(['--ping', '--api.insecure', 'check', '--metrics.prometheus']);
    assert.equal(parsed.command, 'check');
    assert.deepEqual(
      [...parsed.flags],
      [
        ['ping', 'true'],
        ['api.insecure', 'true'],
        ['metrics.prometheus', 'true'],
      ],
    );
  });

  it('never lets an unknown key take the next argument', () => {
    const parsed = parseArgs(['--bogus', 'check']);
    assert.equal(parsed.command, 'check');
    assert.deepEqual([...parsed.flags], [['bogus', 'true']]);
  });

  it('reports a value flag without a value', () => {
    const parsed = parseArgs(['--log.level', '--ping']);
    assert.equal(parsed.issues[0]!.message, 'flag needs a value: --log.level=<value>');
    assert.equal(parsed.issues[0]!.source, 'flag --log.level');
    assert.deepEqual([...parsed.flags], [['ping', 'true']]);
  });

  it('matches repeated keys case-insensitively: lists append, other values are replaced', () => {
    const argv = [
      '--entrypoints.web.http.middlewares=a',
      '--EntryPoints.web.http.middlewares=b',
      '--log.level=INFO',
    ];
    assert.deepEqual(entries([...argv, '--LOG.level=WARN']), [
      ['entrypoints.web.http.middlewares', 'a,b'],
      ['log.level', 'WARN'],
    ]);
  });

  it('splits command and positionals; -- ends the flags; one dash works like two', () => {
    const parsed = parseArgs(['migrate', 'in.toml', '-log.level=INFO', '--', '--not-a-flag']);
    assert.equal(parsed.command, 'migrate');
    assert.deepEqual(parsed.positionals, ['in.toml', '--not-a-flag']);
    assert.deepEqual([...parsed.flags], [['log.level', 'INFO']]);
  });

  it('has no command when there is no positional (run)', () => {
    const parsed = parseArgs(['--configFile=x.yml']);
    assert.equal(parsed.command, undefined);
    assert.deepEqual(parsed.positionals, []);
  });

  it('reports bad flag syntax', () => {
    assert.match(parseArgs(['---x']).issues[0]!.message, /bad flag syntax/);
    assert.match(parseArgs(['--=x']).issues[0]!.message, /bad flag syntax/);
  });
});

describe('flagsToSource', () => {
  it('builds a tree, with [n] and .n list syntax and the configFile set aside', () => {
    const { flags } = parseArgs([
      '--configFile=conf.yml',
      '--entrypoints.web.http.tls.domains[0].main=a.com',
      '--entrypoints.web.http.tls.domains[0].sans=b.com,c.com',
      '--entrypoints.web.http.middlewares.1=m2',
      '--ping',
      '--ping.entryPoint=web',
    ]);
    const { source, configFile } = flagsToSource(flags);
    assert.deepEqual(configFile, { path: 'conf.yml', label: 'flag --configFile' });
    assert.deepEqual(source.tree, {
      entrypoints: {
        web: {
          http: { tls: { domains: { 0: { main: 'a.com', sans: 'b.com,c.com' } } }, middlewares: { 1: 'm2' } },
        },
      },
      ping: { entryPoint: 'web' },
    });
    assert.equal(source.fromStrings, true);
    assert.equal(
      source.locate(['entryPoints', 'web', 'http', 'tls', 'domains', '0', 'main']),
      'flag --entrypoints.web.http.tls.domains[0].main',
    );
    assert.equal(source.locate(['ping', 'manualRouting']), 'flag --ping');
  });
});
