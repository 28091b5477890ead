import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createApiHandler } from '../../src/api/index.js';
import { sampleRuntime, sampleStatic } from '../../src/api/test-runtime.js';
import type { RuntimeConfig } from '../../src/config/runtime/runtime-config.js';
import { fakeRoute, startTestEntryPoint } from '../../src/observability/test-entrypoint.js';
import { launchChromium } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

/**
 * Where `npm run docs:screenshots` wants the pictures of the docs (`docs/images`); unset in `npm test`,
 * which writes its screenshots to a temporary directory only and leaves the tree as it was.
 */
const DOCS_IMAGES = process.env.SWITCHYARD_DOCS_IMAGES;
const DOCS_IMAGE = join(REPO_ROOT, 'docs', 'images', 'dashboard.png');
const digest = (path: string) =>
  existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';

/** The dashboard in Debian's Chromium, against the API on an in-process entrypoint with live traffic. */
describe('dashboard in Chromium', () => {
  let runtime: RuntimeConfig = sampleRuntime();
  let api: Awaited<ReturnType<typeof startTestEntryPoint>>;
  let web: Awaited<ReturnType<typeof startTestEntryPoint>>;
  let browser: BrowserContext;
  let page: Page;
  let userDir: string;
  const shots = mkdtempSync(join(tmpdir(), 'sy-dashboard-shots-'));
  let traffic = true;
  let trafficDone: Promise<void>;
  const docsImageBefore = digest(DOCS_IMAGE);

  before(async () => {
    if (!existsSync(join(REPO_ROOT, 'webui', 'dist', 'index.html')))
      execFileSync(process.execPath, [join(REPO_ROOT, 'webui', 'build.mjs')]);
    api = await startTestEntryPoint(
      createApiHandler({ runtime: () => runtime, staticConfig: sampleStatic(), version: 'test' }),
      'traefik',
    );
    web = await startTestEntryPoint(fakeRoute(200, 'ok', 'web@file', 'app@file'), 'web');
    trafficDone = (async () => {
      const deadline = Date.now() + 60_000;
      for (let i = 0; i < 20_000 && traffic && Date.now() < deadline; i++) {
        await request(web.url('/'));
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    userDir = mkdtempSync(join(tmpdir(), 'sy-chromium-'));
    browser = await launchChromium(userDir);
    page = await browser.newPage();
  });

  after(async () => {
    traffic = false;
    await trafficDone;
    await browser?.close();
    await api?.close();
    await web?.close();
    rmSync(userDir, { recursive: true, force: true });
    rmSync(shots, { recursive: true, force: true });
  });

  it('shows the overview with counts and live charts', async () => {
    await page.goto(api.url('/'));
    assert.match(page.url(), /\/dashboard\/$/);
    await page.getByTestId('card-routers').getByText('3').waitFor();
    await page.getByTestId('charts-web').waitFor();
    // A few samples so the charts have lines.
    // Runs in the page (a string: this file is compiled without the DOM types).
    await page.waitForFunction(
      `(() => {
        const rate = document.querySelector('[data-testid="charts-web"] .chart.rate');
        const points = rate?.querySelector('polyline')?.getAttribute('points') ?? '';
        return /[1-9]/.test(rate?.querySelector('strong')?.textContent ?? '') && points.split(' ').length >= 4;
      })()`,
      null,
      { timeout: 20_000 },
    );
    await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true });
    if (DOCS_IMAGES) copyFileSync(join(shots, 'overview.png'), join(DOCS_IMAGES, 'dashboard.png'));
  });

  it('navigates to the routers list, a router with its middleware chain, and its service', async () => {
    await page.getByRole('link', { name: 'Routers', exact: true }).click();
    await page.getByTestId('list-routers').getByText('broken@file').waitFor();
    assert.equal(await page.getByTestId('list-routers').locator('tbody tr').count(), 3);
    await page.getByRole('link', { name: 'web@file' }).click();
    const chain = page.getByTestId('chain');
    await chain.waitFor();
    assert.deepEqual(await chain.locator('li').allTextContents(), [
      'web',
      'web@file',
      'strip',
      'auth',
      'app',
    ]);
    await page.screenshot({ path: join(shots, 'router.png'), fullPage: true });
    await chain.getByRole('link', { name: 'app' }).click();
    await page.getByTestId('servers').getByText('DOWN').waitFor();
    await page.goto(api.url('/dashboard/#/routers/broken@file'));
    await page.getByText('service "missing@file" does not exist').waitFor();
  });

  it('draws charts with a value axis, its unit and a time scale', async () => {
    await page.goto(api.url('/dashboard/'));
    const rate = page.getByTestId('charts-web').locator('.chart.rate');
    await rate.locator('.x-axis text').first().waitFor();
    assert.deepEqual(await rate.locator('.x-axis text').allTextContents(), ['-90s', '-60s', '-30s', 'now']);
    const yTicks = await rate.locator('.y-axis > g > text').allTextContents();
    assert.equal(yTicks.length, 3);
    assert.equal(yTicks[0], '0');
    assert.ok(Number(yTicks[2]) > 0, `a positive top of scale, got ${yTicks[2]}`);
    assert.notEqual((await rate.locator('.y-axis .unit').textContent())?.trim() ?? '', '');
  });

  it('lists entrypoints with filled columns only, and filters routers by status', async () => {
    await page.goto(api.url('/dashboard/#/entrypoints'));
    const list = page.getByTestId('list-entrypoints');
    await list.locator('tbody tr').first().waitFor();
    const headers = (await list.locator('thead th').allTextContents()).map((h) => h.trim());
    assert.ok(!headers.includes('Status') && !headers.includes('Provider'), headers.join(','));
    const firstRow = (await list.locator('tbody tr').first().locator('td').allTextContents()).slice(0, 2);
    assert.ok(
      firstRow.every((cell) => cell.trim() !== ''),
      `name and address filled: ${firstRow.join('|')}`,
    );
    await page.goto(api.url('/dashboard/#/routers'));
    await page.getByTestId('list-routers').getByText('web@file').waitFor();
    await page.getByTestId('status-tabs').getByRole('tab', { name: /error/i }).click();
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="list-routers"] tbody tr').length === 1`,
    );
    assert.match((await page.getByTestId('list-routers').textContent()) ?? '', /broken@file/);
    await page.getByTestId('status-tabs').getByRole('tab', { name: 'All' }).click();
    await page.getByTestId('list-routers').getByText('web@file').waitFor();
  });

  it('filters with the search box', async () => {
    await page.goto(api.url('/dashboard/#/routers'));
    await page.getByLabel('Search').fill('alpha');
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="list-routers"] tbody tr').length === 1`,
    );
    assert.match((await page.getByTestId('list-routers').textContent()) ?? '', /alpha@docker/);
    await page.getByLabel('Search').fill('');
  });

  it('shows a configuration change live', async () => {
    await page.goto(api.url('/dashboard/#/routers'));
    await page.getByTestId('list-routers').getByText('web@file').waitFor();
    const next = sampleRuntime();
    next.routers['fresh@file'] = {
      ...next.routers['web@file']!,
      name: 'fresh@file',
      config: { rule: 'Host(`fresh.test`)', service: 'app' },
    };
    runtime = next;
    await page.getByTestId('list-routers').getByText('fresh@file').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(shots, 'live-change.png'), fullPage: true });
    assert.ok(existsSync(join(shots, 'live-change.png')));
  });

  it('shows TCP and UDP counts on the overview', async () => {
    await page.goto(api.url('/dashboard/#/'));
    await page.getByTestId('card-tcp-routers').getByText('2', { exact: true }).waitFor();
    assert.match((await page.getByTestId('card-tcp-middlewares').textContent()) ?? '', /1\s*1 ok/);
    assert.match((await page.getByTestId('card-udp-routers').textContent()) ?? '', /1 warnings/);
    assert.match((await page.getByTestId('card-udp-services').textContent()) ?? '', /1 errors/);
  });

  it('lists TCP routers, opens one with its middleware chain, its service and servers', async () => {
    await page.getByRole('link', { name: 'TCP routers', exact: true }).click();
    const list = page.getByTestId('list-tcp-routers');
    await list.getByText('pass@file').waitFor();
    assert.equal(await list.locator('tbody tr').count(), 2);
    assert.match((await list.textContent()) ?? '', /HostSNI\(`\*`\)/);
    await list.getByRole('link', { name: 'db@file' }).click();
    const chain = page.getByTestId('chain');
    await chain.waitFor();
    assert.deepEqual(await chain.locator('li').allTextContents(), ['pg', 'db@file', 'allow', 'pg']);
    assert.match((await page.getByTestId('tls-panel').textContent()) ?? '', /plain TCP/);
    await page.getByTestId('chain-middlewares').getByText('ipAllowList').waitFor();
    await page.screenshot({ path: join(shots, 'tcp-router.png'), fullPage: true });
    await chain.getByRole('link', { name: 'pg', exact: true }).last().click();
    const servers = page.getByTestId('servers');
    await servers.getByText('127.0.0.1:5432').waitFor();
    assert.match((await servers.textContent()) ?? '', /UP/);
    await page.getByTestId('used-by').getByRole('link', { name: 'pass@file' }).click();
    await page.getByTestId('tls-panel').getByText('Passthrough').waitFor();
  });

  it('lists UDP routers and services with status tabs and shows their errors', async () => {
    await page.getByRole('link', { name: 'UDP routers', exact: true }).click();
    const list = page.getByTestId('list-udp-routers');
    await list.getByText('extra@file').waitFor();
    const headers = (await list.locator('thead th').allTextContents()).map((h) => h.trim());
    assert.ok(!headers.includes('Rule') && !headers.includes('Priority'), headers.join(','));
    await page
      .getByTestId('status-tabs')
      .getByRole('tab', { name: /warning/i })
      .click();
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="list-udp-routers"] tbody tr').length === 1`,
    );
    await list.getByRole('link', { name: 'extra@file' }).click();
    await page.locator('ul.errors').getByText('serves one UDP router only').waitFor();
    assert.deepEqual(await page.getByTestId('chain').locator('li').allTextContents(), [
      'dns',
      'extra@file',
      'resolvers',
    ]);
    await page.getByTestId('chain').getByRole('link', { name: 'resolvers' }).click();
    await page.getByTestId('servers').getByText('127.0.0.1:5302').waitFor();
    await page.getByRole('link', { name: 'UDP services', exact: true }).click();
    await page.getByTestId('status-tabs').getByRole('tab', { name: /error/i }).click();
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="list-udp-services"] tbody tr').length === 1`,
    );
    await page.getByTestId('list-udp-services').getByRole('link', { name: 'ghost@file' }).click();
    await page.locator('ul.errors').getByText('the UDP service "nope@file" does not exist').waitFor();
    await page.screenshot({ path: join(shots, 'udp-service.png'), fullPage: true });
  });

  it('writes its screenshots outside the tree unless asked for the docs images', () => {
    if (DOCS_IMAGES) return;
    assert.equal(digest(DOCS_IMAGE), docsImageBefore, 'docs/images/dashboard.png is untouched');
  });
});
