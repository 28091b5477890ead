import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';
import { startObserved } from './observability-fixture.js';

const lines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

describe('access log through the real CLI (--accesslog.filepath)', () => {
  let env: Awaited<ReturnType<typeof startObserved>>;
  const file = join(tempDir(), 'access.log');

  before(async () => {
    env = await startObserved([`--accesslog.filepath=${file}`]);
  });
  after(() => env?.close());

  it('writes Traefik common lines and reopens the file on SIGUSR1', async () => {
    await request(env.sy.url('web', '/one'), { headers: { 'user-agent': 'cli-test' } });
    await eventually(() => lines(file).length === 1);
    assert.match(
      lines(file)[0]!,
      /"GET \/one HTTP\/1\.1" 200 \d+ "-" "cli-test" \d+ "app@file" "http:\/\/127\.0\.0\.1:\d+" \d+ms$/,
    );
    renameSync(file, `${file}.1`);
    env.sy.proc.kill('SIGUSR1');
    await eventually(async () => {
      await request(env.sy.url('web', '/two'));
      return lines(file).length > 0;
    });
    assert.equal(lines(`${file}.1`).length >= 1, true);
    assert.ok(lines(file).some((l) => l.includes('/two')));
  });
});

describe('access log on a full disk', () => {
  let env: Awaited<ReturnType<typeof startObserved>>;
  before(async () => {
    env = await startObserved(['--accesslog.filepath=/dev/full']);
  });
  after(() => env?.close());

  it('keeps serving every request', async () => {
    for (let i = 0; i < 100; i++) assert.equal((await request(env.sy.url('web', `/${i}`))).status, 200);
  });
});
