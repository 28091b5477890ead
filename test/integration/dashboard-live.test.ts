import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { launchChromium } from '../helpers/chromium.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

/** `npm run docs:screenshots` sets it: the pictures of docs/api.md are written there (never by `npm test`). */
const DOCS_IMAGES = process.env.SWITCHYARD_DOCS_IMAGES;

const routes = (port: number, broken: boolean) => `http:
  routers:
    app:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [web]
      service: app
${broken ? '    broken:\n      rule: "Path(`/broken`)"\n      service: missing\n' : ''}  services:
    app:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${port}"
`;

/** Beyond Traefik: one router's live traffic and the configuration history, in Chromium, on the real CLI. */
describe('dashboard: live router traffic and configuration history', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let file: string;
  let browser: BrowserContext;
  let page: Page;
  let userDir: string;
  let traffic = true;
  let trafficDone: Promise<void>;

  before(async () => {
    backend = await startWhoami({ name: 'app' });
    file = writeFile(tempDir(), 'dynamic.yml', routes(backend.port, false));
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.traefik.address=127.0.0.1:0',
        '--api.insecure=true',
        `--providers.file.filename=${file}`,
        '--providers.providersThrottleDuration=0s',
      ],
      { expectEntryPoints: ['web', 'traefik'] },
    );
    await sy.waitFor(/configuration applied generation=2/);
    // Traffic with known shapes: one answer in ten is a 503, one in ten waits 150 ms.
    trafficDone = (async () => {
      const deadline = Date.now() + 90_000;
      for (let i = 0; i < 20_000 && traffic && Date.now() < deadline; i++) {
        const query = i % 10 === 3 ? '?status=503' : i % 10 === 7 ? '?wait=150ms' : '';
        await request(sy.url('web', `/${query}`)).catch(() => undefined);
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 10));
      }
    })();
    userDir = mkdtempSync(join(tmpdir(), 'sy-chromium-'));
    browser = await launchChromium(userDir, { width: 1280, height: 1000 });
    page = await browser.newPage();
  });

  after(async () => {
    traffic = false;
    await trafficDone;
    await browser?.close();
    await sy?.stop();
    await backend?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  const number = async (testid: string) => Number(await page.getByTestId(testid).textContent());

  it("shows one router's requests per second, answers per status class, p50 and p99", async () => {
    await page.goto(sy.url('traefik', '/dashboard/#/routers/app@file'));
    const view = page.getByTestId('router-traffic');
    await view.waitFor();
    // Wait until the view has seen enough traffic: a few intervals with 503s and slow answers in them.
    // Runs in the page (a string: this file is compiled without the DOM types).
    await page.waitForFunction(
      `(() => {
        const n = (id) => Number(document.querySelector('[data-testid="' + id + '"]')?.textContent ?? 0);
        const p99 = Number(document.querySelector('.chart.p99 figcaption strong')?.textContent ?? 0);
        return n('total-5xx') >= 5 && n('total-2xx') >= 20 && p99 >= 100;
      })()`,
      null,
      { timeout: 60_000 },
    );
    assert.ok((await number('total-2xx')) > (await number('total-5xx')));
    assert.equal(await number('total-4xx'), 0);
    const caption = async (cls: string) =>
      Number(await view.locator(`.chart.${cls} figcaption strong`).textContent());
    assert.ok((await caption('rate')) > 0, 'a request rate');
    // Nine answers in ten are immediate: the median is far below the 150 ms of the slow tenth.
    assert.ok((await caption('p50')) < 100, `p50 ${await caption('p50')}`);
    assert.ok((await caption('p99')) >= 100, `p99 ${await caption('p99')}`);
    assert.deepEqual(await view.locator('.chart.p99 .y-axis .unit').allTextContents(), ['ms']);
    await page.screenshot({
      path: join(DOCS_IMAGES ?? userDir, 'dashboard-router-traffic.png'),
      fullPage: true,
    });
  });

  it('lists the configuration generations: when, what changed, which elements failed', async () => {
    writeFileSync(file, routes(backend.port, true));
    await sy.waitFor(/configuration applied generation=3/);
    await page.goto(sy.url('traefik', '/dashboard/#/history'));
    const latest = page.getByTestId('generation-3');
    await latest.waitFor();
    await latest.getByText('Added (1)').waitFor();
    assert.deepEqual(await latest.locator('.change.added a').allTextContents(), ['http.routers.broken@file']);
    const failed = latest.getByTestId('failed');
    await failed.getByText('service "missing@file" does not exist').waitFor();
    assert.match((await failed.textContent()) ?? '', /http\.routers\.broken@file/);
    assert.match((await latest.locator('time').getAttribute('datetime')) ?? '', /^\d{4}-\d\d-\d\dT/);
    // The generation before: the first routes from the file, none failed.
    const second = page.getByTestId('generation-2');
    assert.match((await second.locator('.change.added').textContent()) ?? '', /http\.routers\.app@file/);
    assert.equal(await second.getByTestId('failed').count(), 0);
    await latest.locator('.change.added a').click();
    await page.getByText('service "missing@file" does not exist').first().waitFor();
    assert.match(page.url(), /#\/routers\/broken%40file$|#\/routers\/broken@file$/);
    await page.goto(sy.url('traefik', '/dashboard/#/history'));
    await latest.waitFor();
    await page.screenshot({ path: join(DOCS_IMAGES ?? userDir, 'dashboard-history.png'), fullPage: true });
  });
});
