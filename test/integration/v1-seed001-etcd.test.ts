import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runKv } from '../../src/cli/kv.js';
import { type Backend, startBackend } from '../helpers/backends.js';
import { REPO_ROOT, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { type EtcdServer, startEtcd } from '../helpers/etcd.js';
import { eventually, request } from '../helpers/http.js';

const sink = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

describe('seed 001 for real: the v1 [etcd] section (prefix /traefik/dev, watch) against a real etcd', () => {
  let etcd: EtcdServer;
  let backend: Backend;
  let sy: Running;
  let dir: string;

  const publish = async (file: string) => {
    const code = await runKv(
      ['put', '--store', 'etcd', '--endpoints', etcd.endpoint, '--prefix', '/traefik/dev', '--file', file],
      sink(),
    );
    assert.equal(code, 0);
  };

  before(async () => {
    etcd = await startEtcd();
    backend = await startBackend();
    dir = tempDir();
    const seed = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'v1', '001-etcd.toml'), 'utf8');
    writeFile(dir, 'traefik.toml', seed.replace('__ETCD_ENDPOINT__', etcd.endpoint));
    writeFile(dir, 'rules.toml', '');
    const v1 = writeFile(
      dir,
      'v1-dynamic.toml',
      `[backends.api.servers.s1]\nurl = "${backend.url}"\n[frontends.api]\nbackend = "api"\n[frontends.api.routes.r]\nrule = "Host:api.dev.test"\n`,
    );
    await publish(v1);
    sy = await startSwitchyard(
      [
        '--configFile=traefik.toml',
        '--entryPoints.http.address=127.0.0.1:0',
        '--providers.providersThrottleDuration=100ms',
      ],
      { expectEntryPoints: ['http'], cwd: dir },
    );
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
    await etcd?.destroy();
  });

  it('serves the v1 frontends and backends written under the prefix', async () => {
    await eventually(
      async () => (await request(sy.url('http', '/a'), { headers: { host: 'api.dev.test' } })).status === 200,
    );
    const res = await request(sy.url('http', '/a'), { headers: { host: 'api.dev.test' } });
    assert.equal(res.body, 'ok GET /a');
  });

  it('applies a write under the prefix without a restart (watch = true)', async () => {
    const v1 = writeFile(
      dir,
      'v1-dynamic-2.toml',
      `[backends.api.servers.s1]\nurl = "${backend.url}"\n[frontends.api]\nbackend = "api"\n[frontends.api.routes.r]\nrule = "Host:api.dev.test"\n[frontends.web]\nbackend = "api"\n[frontends.web.routes.r]\nrule = "Host:web.dev.test;PathPrefix:/app"\n`,
    );
    await publish(v1);
    await eventually(
      async () =>
        (await request(sy.url('http', '/app/x'), { headers: { host: 'web.dev.test' } })).status === 200,
    );
    assert.equal(
      (await request(sy.url('http', '/other'), { headers: { host: 'web.dev.test' } })).status,
      404,
    );
  });
});
