import assert from 'node:assert/strict';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { fileLines as lines, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';
import { startObserved } from './observability-fixture.js';

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

describe('access log held in memory (bufferingSize) with two workers', () => {
  let backend: WhoamiServer;
  let sy: Running;
  const dir = tempDir();
  const file = join(dir, 'access.log');

  before(async () => {
    backend = await startWhoami({ name: 'held' });
    writeFile(
      dir,
      'dynamic.yml',
      `http:
  routers:
    app:
      rule: "PathPrefix(\`/\`)"
      service: app
  services:
    app:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
`,
    );
    sy = await startSwitchyard(
      [
        '--workers=2',
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.file.filename=${join(dir, 'dynamic.yml')}`,
        `--accesslog.filepath=${file}`,
        '--accesslog.bufferingsize=1000',
      ],
      { expectEntryPoints: ['web'], startMs: 60_000 },
    );
    await sy.waitFor(/configuration applied.*workers=2/, 60_000);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('writes every line across a rotation and a graceful stop', async () => {
    let sent = 0;
    const get = async (path: string) => {
      assert.equal((await request(sy.url('web', path))).status, 200);
      sent++;
    };
    for (let i = 0; i < 20; i++) await get(`/before${i}`);
    renameSync(file, `${file}.1`);
    sy.proc.kill('SIGUSR1');
    // Each worker writes its held lines to the old file, then reopens, when the primary's message reaches it.
    await eventually(async () => {
      await get('/after');
      return existsSync(file);
    });
    for (let i = 0; i < 20; i++) await get(`/last${i}`);
    assert.equal(await sy.stop(), 0);
    const old = lines(`${file}.1`);
    const current = lines(file);
    assert.equal(old.length + current.length, sent);
    for (let i = 0; i < 20; i++)
      assert.ok(
        old.some((l) => l.includes(`/before${i} `)),
        `/before${i}`,
      );
    assert.ok(current.some((l) => l.includes('/last19 ')));
    const paths = [...old, ...current].map((l) => /"GET (\S+) /.exec(l)?.[1]);
    for (let i = 0; i < 20; i++) assert.equal(paths.filter((p) => p === `/last${i}`).length, 1, `/last${i}`);
  });
});
