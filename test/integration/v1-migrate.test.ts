import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { runMigrate } from '../../src/cli/migrate.js';
import { type Backend, startBackend } from '../helpers/backends.js';
import { REPO_ROOT, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'v1', name), 'utf8');

function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

async function migrate(args: string[]) {
  const out = collector();
  const err = collector();
  const code = await runMigrate(args, out.stream, err.stream);
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('switchyard migrate', () => {
  it('prints seed 001 as v3 YAML: providers.etcd with rootKey /traefik/dev, the rules file converted', async () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'traefik.toml',
      fixture('001-etcd.toml').replace('__ETCD_ENDPOINT__', '127.0.0.1:2379'),
    );
    writeFile(
      dir,
      'rules.toml',
      '[backends.b.servers.s]\nurl = "http://127.0.0.1:1"\n[frontends.f]\nbackend = "b"\n[frontends.f.routes.r]\nrule = "Host:a.test"\n',
    );
    const { code, stdout } = await migrate([file]);
    assert.equal(code, 0);
    const [staticDoc, dynamicDoc] = parseAllDocuments(stdout).map((d) => d.toJS());
    assert.deepEqual(staticDoc.providers.etcd, { endpoints: ['127.0.0.1:2379'], rootKey: '/traefik/dev' });
    assert.deepEqual(staticDoc.providers.file, { filename: 'dynamic.yml', watch: true });
    assert.deepEqual(dynamicDoc.http.routers.f, { rule: 'Host(`a.test`)', service: 'b', priority: 11 });
    assert.match(stdout, /# .*etcd: v1 defaulted to the etcd v2 API/);
  });

  it('prints TOML on request, with a comment for what has no exact equivalent', async () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'config.toml',
      fixture('000-qt-mirror.toml').replace('__BACKEND_URL__', 'http://127.0.0.1:1'),
    );
    const { code, stdout } = await migrate([file, '--format=toml']);
    assert.equal(code, 0);
    assert.match(stdout, /^# .*ReccentError/m);
    const [staticPart, dynamicPart] = stdout.split('# Dynamic configuration');
    const plain = (text: string) => JSON.parse(JSON.stringify(parseToml(text)));
    assert.deepEqual(plain(staticPart!).api, { insecure: true, dashboard: true });
    const dynamic = plain(dynamicPart!.slice(dynamicPart!.indexOf('\n')));
    assert.deepEqual(dynamic.http.middlewares['tuna-addprefix'], { addPrefix: { prefix: '/qt' } });
    assert.equal(dynamic.http.services.tuna.loadBalancer.passHostHeader, false);
  });

  it('refuses a file that is not v1, and bad usage', async () => {
    const dir = tempDir();
    const v3 = writeFile(
      dir,
      'v3.toml',
      '[entryPoints.web]\naddress = ":80"\n[providers.file]\nfilename = "x.yml"\n',
    );
    assert.equal((await migrate([v3])).code, 2);
    assert.equal((await migrate([])).code, 2);
    assert.equal((await migrate([v3, '--format=json'])).code, 2);
  });
});

describe('seed 001 through the real CLI: [file] filename = "rules.toml" (v1 dynamic) beside [etcd]', () => {
  let backend: Backend;
  let sy: Running;

  before(async () => {
    backend = await startBackend();
    const dir = tempDir();
    writeFile(dir, 'traefik.toml', fixture('001-etcd.toml').replace('__ETCD_ENDPOINT__', '127.0.0.1:1'));
    writeFile(
      dir,
      'rules.toml',
      `[backends.www.servers.s1]\nurl = "${backend.url}"\n[frontends.www]\nbackend = "www"\n[frontends.www.routes.r]\nrule = "Host:www.baidu.com"\n`,
    );
    sy = await startSwitchyard(['--configFile=traefik.toml', '--entryPoints.http.address=127.0.0.1:0'], {
      expectEntryPoints: ['http', 'traefik'],
      cwd: dir,
    });
    await sy.waitFor(/configuration applied.*routers=1/);
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('routes by the v1 rules file named in [file]', async () => {
    const res = await request(sy.url('http', '/x'), { headers: { host: 'www.baidu.com' } });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'ok GET /x');
  });
});
