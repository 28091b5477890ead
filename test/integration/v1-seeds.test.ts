import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { REPO_ROOT, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'v1', name), 'utf8');

describe('seed 000: the v1 file as an accelerating mirror proxy (AddPrefix, passHostHeader = false)', () => {
  let mirror: Backend;
  let sy: Running;

  before(async () => {
    mirror = await startBackend();
    const dir = tempDir();
    // [file] filename = "./config.toml" names this very file, resolved against the working directory.
    writeFile(dir, 'config.toml', fixture('000-qt-mirror.toml').replace('__BACKEND_URL__', mirror.url));
    sy = await startSwitchyard(['--configFile=config.toml'], {
      expectEntryPoints: ['http', 'traefik'],
      cwd: dir,
    });
    await sy.waitFor(/configuration applied.*routers=1/);
  });

  after(async () => {
    await sy?.stop();
    await mirror?.close();
  });

  it('logs that a v1 configuration was detected and tolerates the misspelt key', async () => {
    await sy.waitFor(/Traefik v1 configuration detected; converting/);
    await sy.waitFor(/ReccentError/);
  });

  it('forwards /online/qtsdkrepository/… as /qt/online/qtsdkrepository/… with the backend Host', async () => {
    const res = await request(sy.url('http', '/online/qtsdkrepository/windows_x86/android/'), {
      headers: { host: 'download.qt.io' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'ok GET /qt/online/qtsdkrepository/windows_x86/android/');
    const seen = mirror.requests.at(-1)!;
    assert.equal(seen.headers.host, `127.0.0.1:${mirror.port}`);
  });
});

describe('seed 002: Path:/echo answering a POST with the echoed body', () => {
  let echo: Backend;
  let sy: Running;

  before(async () => {
    echo = await startBackend((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(Buffer.concat(chunks)));
    });
    const dir = tempDir();
    const file = writeFile(
      dir,
      'traefik.toml',
      fixture('002-echo.toml').replace('__BACKEND_URL__', echo.url),
    );
    sy = await startSwitchyard([`--configFile=${file}`], { expectEntryPoints: ['http'] });
    // fe1 and its trailing-slash redirect (Traefik 1.7 answers /echo/ with a 301 to /echo)
    await sy.waitFor(/configuration applied.*routers=2/);
  });

  after(async () => {
    await sy?.stop();
    await echo?.close();
  });

  it('echoes the posted body on /echo and answers 404 elsewhere', async () => {
    const res = await request(sy.url('http', '/echo'), { method: 'POST', body: 'xxxxxx' });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'xxxxxx');
    const miss = await request(sy.url('http', '/other'), { method: 'POST', body: 'x' });
    assert.equal(miss.status, 404);
  });
});
