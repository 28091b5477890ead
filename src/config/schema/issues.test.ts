import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssues } from './issues.js';

describe('formatIssues', () => {
  it('prints source, path and message, one line each', () => {
    const text = formatIssues([
      { path: 'log.level', message: 'expected one of "ERROR", got "x"', source: 'env SWITCHYARD_LOG_LEVEL' },
      {
        path: 'api.insecur',
        message: 'unknown key "api.insecur"',
        code: 'CONFIG_UNKNOWN_KEY',
        source: 'a.yml:3',
      },
      { path: '', message: 'could not parse', code: 'CONFIG_PARSE' },
    ]);
    assert.equal(
      text,
      [
        'env SWITCHYARD_LOG_LEVEL: log.level: expected one of "ERROR", got "x"',
        'a.yml:3: unknown key "api.insecur"',
        'could not parse',
      ].join('\n'),
    );
  });

  it('prints nothing for no issues', () => {
    assert.equal(formatIssues([]), '');
  });
});
