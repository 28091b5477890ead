import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, runCli, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

// admin / secret (openssl passwd -apr1)
const USER = 'admin:$apr1$abcdefgh$h9FWgUz3n9YxylKLlR5SQ/';
const CREDENTIALS = `Basic ${Buffer.from('admin:secret').toString('base64')}`;

/**
 * Two frontends on one host: Traefik 1.7 orders them by the length of their v1 rule strings (44 for the
 * guarded one, 42 for the site), so /admin reaches the authenticated frontend. The converted v3 rule of
 * the site is the longer one: without explicit priorities it would win and serve /admin without auth.
 */
function v1File(backendUrl: string): string {
  return `defaultEntryPoints = ["http"]
[entryPoints.http]
address = "127.0.0.1:0"
[entryPoints.traefik]
address = "127.0.0.1:0"
[api]
[file]
[backends.app.servers.s1]
url = "${backendUrl}"
[frontends.site]
backend = "app"
[frontends.site.routes.r]
rule = "Host:app.example.test,www.app.example.test"
[frontends.admin]
backend = "app"
[frontends.admin.routes.r]
rule = "Host:app.example.test;PathPrefixStrip:/admin"
[frontends.admin.auth.basic]
users = ["${USER}"]
[frontends.docs]
backend = "app"
[frontends.docs.routes.r]
rule = "Host:docs.example.test;Path:/guide/"
[frontends.docs.auth.basic]
users = ["${USER}"]
[frontends.typo]
backend = "app"
[frontends.typo.routes.r]
rule = "Hosts:typo.example.test"
`;
}

async function assertGuarded(sy: Running, backend: Backend): Promise<void> {
  const host = 'app.example.test';
  const open = await request(sy.url('http', '/admin/users'), { headers: { host } });
  assert.equal(open.status, 401, 'the guarded path answers 401 without credentials');
  const authed = await request(sy.url('http', '/admin/users'), {
    headers: { host, authorization: CREDENTIALS },
  });
  assert.equal(authed.status, 200);
  assert.equal(authed.body, 'ok GET /users', 'the guarded frontend strips its prefix');
  assert.equal(backend.requests.at(-1)!.url, '/users');
  const site = await request(sy.url('http', '/about'), { headers: { host } });
  assert.equal(site.status, 200, 'the rest of the host is served without auth');
  // The misspelt frontend is not a catch-all: its host is not served at all.
  const typo = await request(sy.url('http', '/'), { headers: { host: 'typo.example.test' } });
  assert.equal(typo.status, 404);
  // mux's strict slash: Path:/guide/ answers /guide with a redirect to /guide/, before its auth.
  const docs = { host: 'docs.example.test' };
  const bare = await request(sy.url('http', '/guide?page=2'), { headers: docs });
  assert.equal(bare.status, 301);
  assert.match(bare.headers.location ?? '', /^(http:\/\/docs\.example\.test)?\/guide\/\?page=2$/);
  assert.equal((await request(sy.url('http', '/guide/'), { headers: docs })).status, 401);
}

describe('a Traefik 1.7 file keeps its routing order and refuses unknown matchers', () => {
  let backend: Backend;
  let dir: string;
  let file: string;

  before(async () => {
    backend = await startBackend();
    dir = tempDir();
    file = writeFile(dir, 'traefik.toml', v1File(backend.url));
  });
  after(async () => {
    await backend?.close();
  });

  describe('the v1 file served directly', () => {
    let sy: Running;
    before(async () => {
      sy = await startSwitchyard([`--configFile=${file}`], { expectEntryPoints: ['http', 'traefik'] });
      // site, admin, docs and its slash redirect, and the disabled typo
      await sy.waitFor(/configuration applied.*routers=5/);
    });
    after(async () => {
      await sy?.stop();
    });

    it('keeps the guarded path guarded: 401 without credentials, 200 with', async () => {
      await assertGuarded(sy, backend);
    });

    it('shows the misspelt frontend as a disabled router with its error, in the API and the log', async () => {
      const res = await request(sy.url('traefik', '/api/http/routers/typo@file'));
      assert.equal(res.status, 200);
      const typo = JSON.parse(res.body);
      assert.equal(typo.status, 'disabled');
      assert.match(typo.error.join('\n'), /unknown v1 rule matcher "Hosts".*did you mean "Host"/);
      const admin = JSON.parse((await request(sy.url('traefik', '/api/http/routers/admin@file'))).body);
      assert.equal(admin.priority, 'Host:app.example.test;PathPrefixStrip:/admin'.length);
      await sy.waitFor(/unknown v1 rule matcher "Hosts".*did you mean "Host"/);
    });
  });

  it('switchyard check fails on the misspelt matcher and suggests Host', async () => {
    const res = await runCli(['check', `--configFile=${file}`]);
    assert.notEqual(res.code, 0);
    assert.match(res.stdout + res.stderr, /typo@file.*unknown v1 rule matcher "Hosts".*did you mean "Host"/);
  });

  describe('the output of switchyard migrate --out-dir served', () => {
    let sy: Running;
    let migrated: { code: number | null; stdout: string; stderr: string };
    before(async () => {
      migrated = await runCli(['migrate', 'traefik.toml', '--out-dir=v3'], { cwd: dir });
      sy = await startSwitchyard(['--configFile=v3/switchyard.yml'], {
        expectEntryPoints: ['http', 'traefik'],
        cwd: dir,
      });
      await sy.waitFor(/configuration applied.*routers=4/);
    });
    after(async () => {
      await sy?.stop();
    });

    it('writes static and dynamic files with v1 priorities; the refused frontend is reported (exit 1)', () => {
      assert.equal(migrated.code, 1, migrated.stderr);
      assert.match(migrated.stderr, /frontends\.typo: unknown v1 rule matcher "Hosts".*did you mean "Host"/);
      const staticDoc = parseAllDocuments(readFileSync(join(dir, 'v3', 'switchyard.yml'), 'utf8'))[0]!.toJS();
      assert.equal(staticDoc.providers.file.filename, join('v3', 'dynamic.yml'));
      const dynamic = parseAllDocuments(readFileSync(join(dir, 'v3', 'dynamic.yml'), 'utf8'))[0]!.toJS();
      assert.equal(dynamic.http.routers.admin.priority, 44);
      assert.equal(dynamic.http.routers.site.priority, 42);
      assert.equal(dynamic.http.routers.typo, undefined);
    });

    it('keeps the guarded path guarded: 401 without credentials, 200 with', async () => {
      await assertGuarded(sy, backend);
    });
  });

  it('migrate says why a v3 file is not a v1 file, and refuses to overwrite without --force', async () => {
    const v3 = writeFile(dir, 'v3.yml', 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file: {}\n');
    const res = await runCli(['migrate', v3]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /is not a Traefik v1 file: .*YAML.*Traefik v2\/v3 static configuration/);
    assert.doesNotMatch(res.stderr, /Invalid TOML/);
    const again = await runCli(['migrate', 'traefik.toml', '--out-dir=v3'], { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exist.*--force/);
    const forced = await runCli(['migrate', 'traefik.toml', '--out-dir=v3', '--force'], { cwd: dir });
    assert.equal(forced.code, 1);
    const help = await runCli(['migrate', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--out-dir=DIR/);
  });
});
