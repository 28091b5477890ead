import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MergedConfig } from '../../watcher/merge.js';
import { recordingLogger, settle, waitFor } from '../../watcher/test-support.js';
import { type LocatableSnapshot, Watcher } from '../../watcher/watcher.js';
import { FileProvider, type FileProviderOptions } from './file-provider.js';

const base = mkdtempSync(join(tmpdir(), 'switchyard-file-'));
after(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

/** A fresh directory with the given files. */
function dir(files: Record<string, string>): string {
  const d = join(base, `d${counter++}`);
  mkdirSync(d);
  for (const [name, text] of Object.entries(files)) write(d, name, text);
  return d;
}

function write(d: string, name: string, text: string): void {
  mkdirSync(join(d, name, '..'), { recursive: true });
  writeFileSync(join(d, name), text);
}

const yamlRouter = (name: string, service = 's') =>
  `http:\n  routers:\n    ${name}:\n      rule: Path(\`/${name}\`)\n      service: ${service}\n`;

function start(opts: FileProviderOptions) {
  const controller = new AbortController();
  const snapshots: LocatableSnapshot[] = [];
  const provider = new FileProvider({ settleMs: 20, logger: recordingLogger().logger, ...opts });
  const done = provider.provide((s) => snapshots.push(s), controller.signal);
  const last = () => snapshots.at(-1)!;
  const routers = () =>
    Object.keys((last()?.config as { http?: { routers?: object } })?.http?.routers ?? {}).sort();
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { snapshots, last, routers, stop };
}

describe('FileProvider: directory', () => {
  it('loads YAML, TOML and JSON files, subdirectories included, skipping other and hidden files', async () => {
    const d = dir({
      'a.yml': yamlRouter('a'),
      'b.toml': '[http.routers.b]\nrule = "Path(`/b`)"\nservice = "s"\n',
      'sub/c.json': '{"http": {"routers": {"c": {"rule": "Path(`/c`)", "service": "s"}}}}',
      'sub/deeper/d.YAML': yamlRouter('d'),
      'notes.txt': 'not: config',
      '.hidden.yml': yamlRouter('hidden'),
    });
    const p = start({ directory: d, watch: false });
    await waitFor(() => p.snapshots.length > 0);
    assert.deepEqual(p.routers(), ['a', 'b', 'c', 'd']);
    assert.deepEqual(p.last().issues, []);
    await p.stop();
    assert.equal(p.snapshots.length, 1, 'without watch, one snapshot');
  });

  it('follows live changes, additions and deletions', async () => {
    const d = dir({ 'a.yml': yamlRouter('a'), 'b.yml': yamlRouter('b') });
    const p = start({ directory: d });
    await waitFor(() => p.routers().join() === 'a,b');
    write(d, 'a.yml', yamlRouter('a2'));
    await waitFor(() => p.routers().join() === 'a2,b');
    write(d, 'new/c.yml', yamlRouter('c'));
    await waitFor(() => p.routers().join() === 'a2,b,c');
    unlinkSync(join(d, 'b.yml'));
    await waitFor(() => p.routers().join() === 'a2,c');
    assert.deepEqual(p.last().issues, []);
    await p.stop();
  });

  it('keeps the other files and the broken file’s last good content, and says where it broke', async () => {
    const d = dir({ 'a.yml': yamlRouter('a'), 'b.yml': yamlRouter('b') });
    const p = start({ directory: d });
    await waitFor(() => p.routers().join() === 'a,b');
    write(d, 'b.yml', `${yamlRouter('b2')}    broken: [\n`);
    write(d, 'c.yml', 'http: {\n');
    await waitFor(() => p.last().issues.length === 2);
    assert.deepEqual(p.routers(), ['a', 'b']);
    const [b, c] = p.last().issues;
    assert.match(b!.source!, new RegExp(`^${join(d, 'b.yml')}:\\d+:\\d+$`));
    assert.match(b!.message, /^cannot parse the file as YAML: .*; its last good content stays in use$/);
    assert.match(c!.source!, new RegExp(`^${join(d, 'c.yml')}:\\d+:\\d+$`));
    assert.match(c!.message, /it contributes nothing until it is fixed$/);
    write(d, 'b.yml', yamlRouter('b2'));
    unlinkSync(join(d, 'c.yml'));
    await waitFor(() => p.routers().join() === 'a,b2' && p.last().issues.length === 0);
    await p.stop();
  });

  it('reports an element defined differently in two files, naming both', async () => {
    const d = dir({ 'a.yml': yamlRouter('api', 'one'), 'b.yml': yamlRouter('api', 'two') });
    const p = start({ directory: d, watch: false });
    await waitFor(() => p.snapshots.length > 0);
    const snap = p.last();
    assert.equal(
      (snap.config as { http: { routers: { api: { service: string } } } }).http.routers.api.service,
      'one',
    );
    assert.equal(snap.issues.length, 1);
    assert.match(
      snap.issues[0]!.message,
      new RegExp(`defined in both ${join(d, 'a.yml')} and ${join(d, 'b.yml')}`),
    );
    assert.equal(snap.issues[0]!.source, `${join(d, 'b.yml')}:3:5`);
    await p.stop();
  });

  it('notes Go template syntax, which is not evaluated', async () => {
    const d = dir({
      'a.yml': 'http:\n  routers:\n    a:\n      rule: Host(`{{ env "HOST" }}`)\n      service: s\n',
      'b.yml': '{{ range $i := until 3 }}\nhttp: {{ $i }}\n{{ end }}\n',
    });
    const p = start({ directory: d, watch: false });
    await waitFor(() => p.snapshots.length > 0);
    assert.deepEqual(p.routers(), ['a']);
    const [a, b] = p.last().issues;
    assert.equal(a!.source, join(d, 'a.yml'));
    assert.match(a!.message, /Go templates.*the text is used as written/);
    assert.match(
      b!.message,
      /\(Go templates are not supported yet\); it contributes nothing until it is fixed$/,
    );
    await p.stop();
  });

  it('locates raw paths in the file that defined them', async () => {
    const d = dir({ 'a.yml': yamlRouter('a'), 'z.toml': '[http.routers.z]\nrule = "x"\n' });
    const p = start({ directory: d, watch: false });
    await waitFor(() => p.snapshots.length > 0);
    assert.equal(p.last().locate?.(['http', 'routers', 'a', 'service']), `${join(d, 'a.yml')}:5:7`);
    assert.equal(p.last().locate?.(['http', 'routers', 'z', 'rule']), `${join(d, 'z.toml')}:2:1`);
    assert.equal(p.last().locate?.(['http', 'routers', 'nowhere']), undefined);
    await p.stop();
  });

  it('reports a missing directory and picks it up when it appears', async () => {
    const d = join(base, `missing${counter++}`);
    const p = start({ directory: d });
    await waitFor(() => p.snapshots.length > 0);
    assert.match(p.last().issues[0]!.message, /does not exist/);
    mkdirSync(d);
    write(d, 'a.yml', yamlRouter('a'));
    await waitFor(() => p.routers().join() === 'a' && p.last().issues.length === 0);
    await p.stop();
  });
});

describe('FileProvider: filename', () => {
  it('reports a missing file with an empty configuration, then reads it when it appears', async () => {
    const d = dir({});
    const file = join(d, 'dynamic.yml');
    const p = start({ filename: file });
    await waitFor(() => p.snapshots.length > 0);
    assert.deepEqual(p.last().config, {});
    assert.deepEqual(p.last().issues, [
      { message: 'the file does not exist (yet); it is read as soon as it appears', source: file },
    ]);
    writeFileSync(file, yamlRouter('a'));
    await waitFor(() => p.routers().join() === 'a');
    assert.deepEqual(p.last().issues, []);
    await p.stop();
  });

  it('follows a file replaced by rename, as editors save, and ignores its neighbours', async () => {
    const d = dir({
      'dynamic.toml': '[http.routers.a]\nrule = "x"\nservice = "s"\n',
      'other.yml': yamlRouter('o'),
    });
    const file = join(d, 'dynamic.toml');
    const p = start({ filename: file });
    await waitFor(() => p.routers().join() === 'a');
    writeFileSync(join(d, '.dynamic.toml.tmp'), '[http.routers.b]\nrule = "x"\nservice = "s"\n');
    renameSync(join(d, '.dynamic.toml.tmp'), file);
    await waitFor(() => p.routers().join() === 'b');
    unlinkSync(file);
    await waitFor(() => p.routers().length === 0);
    await p.stop();
  });

  it('refuses an unsupported extension and a missing filename and directory', () => {
    assert.throws(() => new FileProvider({ filename: 'x.conf' }), /unsupported extension/);
    assert.throws(() => new FileProvider({}), /filename or a directory/);
  });
});

describe('FileProvider with the Watcher', () => {
  it('delivers validated, qualified configuration with issues located in the files', async () => {
    const d = dir({
      'routes.yml': `${yamlRouter('api', 'api')}    bad:\n      rule: Path(\`/x\`)\n      servce: api\n`,
      'services.toml': '[http.services.api.loadBalancer]\nservers = [{ url = "http://127.0.0.1:1" }]\n',
    });
    const controller = new AbortController();
    const seen: MergedConfig[] = [];
    const provider = new FileProvider({ directory: d, settleMs: 20 });
    const watcher = new Watcher({
      providers: [provider],
      throttleMs: 50,
      logger: recordingLogger().logger,
      onConfig: (m) => seen.push(m),
    });
    const done = watcher.start(controller.signal);
    await waitFor(() => seen.length > 0);
    const last = seen.at(-1)!;
    assert.deepEqual(Object.keys(last.config.http.routers), ['api@file']);
    assert.equal(last.config.http.routers['api@file']?.service, 'api@file');
    assert.deepEqual(Object.keys(last.config.http.services), ['api@file']);
    assert.deepEqual(
      last.issues.map((i) => [i.element, i.message, i.source]),
      [
        [
          'http.routers.bad@file',
          'unknown key "servce" (did you mean "service"?)',
          `${join(d, 'routes.yml')}:8:7`,
        ],
        ['http.routers.bad@file', 'missing required key "service"', `${join(d, 'routes.yml')}:6:5`],
      ],
    );
    await settle(100); // the watch's first rescan finds nothing new
    assert.equal(seen.length, 1);
    controller.abort();
    await done;
  });
});
