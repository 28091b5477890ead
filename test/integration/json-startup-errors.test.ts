/**
 * With `log.format: json` (in the file, a flag or the environment), what stops Switchyard before it runs
 * is written as JSON log lines too: an invalid static configuration, a port it cannot listen on.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { runCli, tempDir, writeFile } from '../helpers/cli.js';

/** Every stderr line, parsed; fails on a line that is not JSON. */
function jsonLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return assert.fail(`not a JSON log line: ${l}\n${stderr}`);
      }
    });
}

describe('errors before start follow log.format: json', () => {
  it('from the file: one error line per problem, with key, source and code', async () => {
    const file = writeFile(
      tempDir(),
      'switchyard.yml',
      'log:\n  format: json\nentryPoints:\n  web:\n    adress: ":8081"\n',
    );
    const res = await runCli([`--configFile=${file}`, '--log.levl=DEBUG']);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    const lines = jsonLines(res.stderr);
    assert.equal(lines.length, 3, res.stderr);
    for (const l of lines) {
      assert.equal(l.level, 'error');
      assert.equal(l.message, 'invalid static configuration');
      assert.equal(typeof l.time, 'string');
    }
    const typo = lines.find((l) => l.key === 'entryPoints.web.adress')!;
    assert.equal(typo.source, `${file}:5`);
    assert.equal(typo.code, 'CONFIG_UNKNOWN_KEY');
    assert.match(String(typo.error), /unknown key "entryPoints\.web\.adress" \(did you mean "address"\?\)/);
    assert.ok(
      lines.some((l) => l.source === 'flag --log.levl' && /did you mean "level"/.test(String(l.error))),
    );
    assert.equal(res.stdout, '');
  });

  it('from a flag or the environment; without json, the same errors stay plain text', async () => {
    const flag = await runCli([
      '--log.format=json',
      '--entryPoints.web.address=:8081',
      '--ping.entryPont=web',
    ]);
    assert.equal(flag.code, 2);
    assert.match(String(jsonLines(flag.stderr)[0]!.error), /did you mean "entryPoint"/);

    const env = await runCli(
      ['--entryPoints.web.address=:8081', '--entryPoints.web.forwardedHeaders.trustedIPs=10.0.0.0/99'],
      {
        env: { TRAEFIK_LOG_FORMAT: 'json' },
      },
    );
    assert.equal(env.code, 2, env.stderr);
    const [semantic] = jsonLines(env.stderr);
    assert.equal(semantic!.message, 'invalid static configuration');
    assert.match(String(semantic!.error), /trustedIPs/);

    const plain = await runCli(['--entryPoints.web.address=:8081', '--ping.entryPont=web']);
    assert.equal(plain.code, 2);
    assert.match(
      plain.stderr,
      /^switchyard: invalid static configuration:\nflag --ping\.entryPont: unknown key/,
    );
  });

  it('a port in use: JSON error lines, one naming the port, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const res = await runCli(['--log.format=json', `--entryPoints.web.address=127.0.0.1:${port}`]);
      assert.equal(res.code, 1, res.stdout + res.stderr);
      // With worker processes, the worker that failed and the primary each say so.
      const lines = jsonLines(res.stderr);
      assert.ok(lines.length >= 1, res.stderr);
      for (const l of lines) {
        assert.equal(l.level, 'error');
        assert.equal(l.message, 'cannot start');
      }
      assert.ok(
        lines.some((l) => new RegExp(`port ${port} is already in use`).test(String(l.error))),
        res.stderr,
      );
    } finally {
      taken.close();
    }
  });
});
