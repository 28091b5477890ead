import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { BIN, REPO_ROOT, runCli, tempDir, writeFile } from '../helpers/cli.js';

describe('CLI usage, help and failures', () => {
  it('every command has --help and -h: usage text on stdout, exit 0, nothing started', async () => {
    for (const command of ['check', 'migrate', 'whoami', 'kv', 'version']) {
      for (const flag of ['--help', '-h']) {
        const res = await runCli([command, flag]);
        assert.equal(res.code, 0, `${command} ${flag}: ${res.stdout}${res.stderr}`);
        assert.match(res.stdout, new RegExp(`^usage:\\s+switchyard ${command}`, 'im'), `${command} ${flag}`);
        assert.doesNotMatch(res.stdout + res.stderr, /unknown key|(whoami|entrypoint) listening/);
      }
      const viaHelp = await runCli(['help', command]);
      assert.equal(viaHelp.code, 0);
      assert.equal(viaHelp.stdout, (await runCli([command, '--help'])).stdout);
    }
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /switchyard check/);
    assert.match(top.stdout, /switchyard help \[COMMAND\]/);
    // --help wins over everything else on a run's command line.
    const withFile = await runCli(['--configFile=/nonexistent.yml', '--help']);
    assert.equal(withFile.code, 0);
    assert.equal(withFile.stdout, top.stdout);
  });

  it('-v prints the version as --version does', async () => {
    const short = await runCli(['-v']);
    const long = await runCli(['--version']);
    assert.equal(short.code, 0);
    assert.match(short.stdout, /^switchyard \d+\.\d+\.\d+/);
    assert.equal(short.stdout, long.stdout);
  });

  it('whoami refuses an unknown option instead of starting', async () => {
    const res = await runCli(['whoami', '--prot=8080']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown option "--prot" \(did you mean "port"\?\)/);
  });

  it('check piped into a reader that closes early ends quietly, with its own exit code', async () => {
    const dir = tempDir();
    // Many errors: more output than one write, all of it after the reader has gone.
    const routers = Array.from(
      { length: 300 },
      (_, i) => `    r${i}:\n      rule: "Host(\`r${i}.test\`)"\n      service: missing\n`,
    );
    writeFile(dir, 'dynamic.yml', `http:\n  routers:\n${routers.join('')}`);
    const proc = spawn(
      process.execPath,
      [BIN, 'check', '--entryPoints.web.address=:8081', `--providers.file.filename=${dir}/dynamic.yml`],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout.destroy(); // the reader (`head`) is gone before check prints anything
    let stderr = '';
    proc.stderr.on('data', (c) => {
      stderr += c;
    });
    const [code] = await once(proc, 'exit');
    assert.equal(code, 2, stderr);
    assert.doesNotMatch(stderr, /EPIPE|at .*\.js:\d+/);
  });

  it('a port already in use: says which port and that it is in use, exit 1, no stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = await runCli([`--entryPoints.web.address=127.0.0.1:${port}`]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`entrypoint web cannot listen on 127\\.0\\.0\\.1:${port}`));
      assert.match(run.stderr, new RegExp(`port ${port} is already in use`));
      assert.doesNotMatch(run.stderr, /at .*\.js:\d+/);

      const who = await runCli(['whoami', `--port=${port}`]);
      assert.equal(who.code, 1, who.stdout + who.stderr);
      assert.match(who.stderr, new RegExp(`port ${port} is already in use`));
      assert.doesNotMatch(who.stderr, /at .*\.js:\d+/);
    } finally {
      taken.close();
    }
  });
});
