import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { launchChromium } from '../helpers/chromium.js';
import { REPO_ROOT, type Running, runCli, tempDir } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import { sameNames, startWithPlugins } from '../helpers/plugins.js';
import { buildWat, testGuests, watToWasm } from '../helpers/wat.js';

/** `plugins-local/src/<name>/` in `cwd` with a wasm manifest (plus `manifest` lines) and `wasm`. */
function guestFolder(cwd: string, name: string, wasm: Uint8Array, manifest = ''): void {
  const dir = join(cwd, 'plugins-local', 'src', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, '.traefik.yml'),
    `displayName: ${name}\ntype: middleware\nruntime: wasm\n${manifest}`,
  );
  writeFileSync(join(dir, 'plugin.wasm'), wasm);
}

// Real http-wasm guests, compiled from WebAssembly text in src/plugins/wasm/testdata and the example in
// examples/plugins-local/src/stamp-wasm, run by the real CLI in front of a real backend.
describe('wasm plugins (http-wasm) through the real CLI', () => {
  let app: Backend;
  let sy: Running;
  const guests = ['reject', 'echo', 'status', 'body', 'trap', 'loop', 'late'];

  before(async () => {
    app = await startBackend((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.statusCode = req.url === '/missing' ? 404 : 200;
        res.end(
          `stamp=${req.headers['x-stamp'] ?? 'none'} added=${req.headers['x-wasm-added'] ?? 'none'} body=${Buffer.concat(chunks)}`,
        );
      });
    });
    const cwd = tempDir();
    const sources = testGuests(REPO_ROOT);
    for (const name of guests) guestFolder(cwd, name, await watToWasm(sources[name]!, `${name}.wat`));
    const stamp = join(cwd, 'plugins-local', 'src', 'stamp-wasm');
    mkdirSync(stamp, { recursive: true });
    const example = join(REPO_ROOT, 'examples', 'plugins-local', 'src', 'stamp-wasm');
    copyFileSync(join(example, '.traefik.yml'), join(stamp, '.traefik.yml'));
    await buildWat(join(example, 'plugin.wat'), join(stamp, 'plugin.wasm'));

    const plugins = [...guests, 'stamp-wasm'].map((g) => [g, { moduleName: g }]);
    sy = await startWithPlugins({
      dir: cwd,
      cwd,
      url: app.url,
      routers: sameNames([...guests, 'stamp']),
      middlewares: {
        ...Object.fromEntries(
          guests.map((g) => [g, { plugin: { [g]: g === 'echo' ? { greeting: 'hello', n: 3 } : {} } }]),
        ),
        stamp: { plugin: { 'stamp-wasm': { value: 'configured' } } },
      },
      localPlugins: Object.fromEntries(plugins),
      api: true,
    });
  });

  after(async () => {
    await sy?.stop();
    await app?.close();
  });

  const get = (host: string, opts: Parameters<typeof request>[1] = {}) =>
    request(sy.url('web', opts.method === 'POST' ? '/post' : '/path?q=1'), {
      ...opts,
      headers: { host, ...opts.headers },
    });

  it('logs each plugin it loaded with its runtime', async () => {
    await sy.waitFor(/plugin loaded.*plugin=stamp-wasm.*runtime=wasm/);
  });

  it('runs the example: the backend sees the header set from the configured value', async () => {
    const res = await get('stamp.test');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'stamp=configured added=none body=');
  });

  it('answers for a guest that does not call next: its status, headers and body; the backend sees nothing', async () => {
    const res = await get('reject.test');
    assert.equal(res.status, 403);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.body, 'denied by wasm\n');
    assert.equal(app.requests.filter((r) => r.headers.host === 'reject.test').length, 0);
  });

  it('gives the guest the request, the client address and its options as JSON', async () => {
    const res = await get('echo.test', { headers: { 'x-probe': 'probe-value' } });
    assert.equal(res.status, 200);
    const [method, uri, proto, source, probe, config] = res.body.split('\n');
    assert.equal(method, 'GET');
    assert.equal(uri, '/path?q=1');
    assert.equal(proto, 'HTTP/1.1');
    assert.match(source!, /^127\.0\.0\.1:\d+$/);
    assert.equal(probe, 'probe-value');
    assert.deepEqual(JSON.parse(config!), { greeting: 'hello', n: 3 });
    await sy.waitFor(/echo guest answering.*plugin=echo/);
  });

  it('runs handle_response on the response head: status seen, request context kept, status rewritten', async () => {
    const ok = await get('status.test');
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'stamp=none added=yes body=');
    assert.equal(ok.headers['x-wasm-status'], '200');
    assert.equal(ok.headers['x-wasm-ctx'], '7');
    const missing = await request(sy.url('web', '/missing'), { headers: { host: 'status.test' } });
    assert.equal(missing.status, 410);
    assert.equal(missing.headers['x-wasm-status'], '404');
  });

  it('buffers the request body for a guest that asked for it, and sends the body it wrote', async () => {
    const res = await get('body.test', { method: 'POST', body: 'hello body' });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'stamp=none added=none body=wasm saw: hello body');
    const last = app.requests.filter((r) => r.headers.host === 'body.test').at(-1);
    assert.equal(last?.headers['content-length'], String('wasm saw: hello body'.length));
  });

  for (const [guest, why] of [
    ['trap', /the guest trapped in handle_request: unreachable/],
    ['loop', /the guest ran past its budget of \d+ steps in handle_request/],
  ] as const) {
    it(`answers 500 for a guest that ${guest === 'trap' ? 'traps' : 'never returns'}, logs it in the plugin's name and keeps serving`, async () => {
      const res = await get(`${guest}.test`);
      assert.equal(res.status, 500);
      assert.equal(res.body, 'Internal Server Error\n');
      const line = await sy.waitFor(
        new RegExp(`request handler failed(?=.*plugin=${guest})(?=.*middleware=${guest}@file)`),
      );
      assert.match(line, why);
      assert.equal(app.requests.filter((r) => r.headers.host === `${guest}.test`).length, 0);
      // The same guest again (a fresh instance), then another plugin: both served.
      assert.equal((await get(`${guest}.test`)).status, 500);
      assert.equal((await get('stamp.test')).status, 200);
    });
  }

  it("answers 500 when the guest traps in handle_response, logs it in the plugin's name and keeps serving", async () => {
    const res = await get('late.test');
    assert.equal(res.status, 500);
    const line = await sy.waitFor(/request handler failed(?=.*plugin=late)(?=.*middleware=late@file)/);
    assert.match(line, /the guest trapped in handle_response/);
    assert.equal((await get('stamp.test')).status, 200);
  });

  it('shows plugin middlewares in the API like built-ins, with the plugin name and runtime', async () => {
    const res = await request(sy.url('traefik', '/api/http/middlewares/stamp@file'));
    assert.equal(res.status, 200);
    const mw = JSON.parse(res.body);
    assert.equal(mw.status, 'enabled');
    assert.equal(mw.type, 'plugin');
    assert.deepEqual(mw.plugin, { 'stamp-wasm': { value: 'configured' } });
    assert.deepEqual(mw.pluginInfo, {
      name: 'stamp-wasm',
      displayName: 'Stamp (WebAssembly)',
      runtime: 'wasm',
    });
    assert.deepEqual(mw.usedBy, ['stamp@file']);
  });

  it('shows the plugin, its name and runtime on the dashboard page of the middleware', async () => {
    const userDir = tempDir('sy-chromium-');
    const browser = await launchChromium(userDir);
    try {
      const page = await browser.newPage();
      await page.goto(sy.url('traefik', '/dashboard/#/middlewares/stamp@file'));
      const panel = page.getByTestId('middleware-panel');
      await panel.getByText('runtime wasm').waitFor({ timeout: 15_000 });
      const text = (await panel.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /Type plugin/);
      assert.match(text, /Plugin stamp-wasm Stamp \(WebAssembly\) runtime wasm/);
    } finally {
      await browser.close();
      rmSync(userDir, { recursive: true, force: true });
    }
  });
});

describe('wasm plugin load errors', () => {
  async function refusal(manifest: string, wasm: Uint8Array, middleware = '') {
    const cwd = tempDir();
    guestFolder(cwd, 'g', wasm, manifest);
    const args = ['--entryPoints.web.address=127.0.0.1:0', '--experimental.localPlugins.g.moduleName=g'];
    const check = await runCli(['check', ...args.slice(1), ...(middleware ? [middleware] : [])], { cwd });
    return check;
  }

  it('refuses a guest importing a host function that does not exist, naming it', async () => {
    const wasm = await watToWasm(
      '(module (import "http_handler" "get_moon" (func)) (memory (export "memory") 1) (func (export "handle_request") (result i64) (i64.const 1)))',
    );
    const check = await refusal('', wasm);
    assert.equal(check.code, 2);
    assert.match(
      check.stdout + check.stderr,
      /plugin "g": .*plugin\.wasm imports http_handler\.get_moon, which the http-wasm host does not provide/,
    );
  });

  it('refuses a file that is not WebAssembly, and testData that does not match optionsSchema', async () => {
    const notWasm = await refusal('', new TextEncoder().encode('hello'));
    assert.match(
      notWasm.stdout + notWasm.stderr,
      /plugin "g": .*plugin\.wasm is not a usable WebAssembly module: not a WebAssembly module/,
    );
    const guest = await watToWasm(testGuests(REPO_ROOT).reject!);
    const bad = await refusal(
      'optionsSchema:\n  type: object\n  properties:\n    value: { type: string }\ntestData:\n  valeu: x\n',
      guest,
    );
    assert.match(
      bad.stdout + bad.stderr,
      /plugin "g": its manifest's testData does not match its optionsSchema:[\s\S]*unknown key "valeu" \(did you mean "value"\?\)/,
    );
  });
});
