import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { createApiHandler } from '../../src/api/index.js';
import { sampleRuntime, sampleStatic } from '../../src/api/test-runtime.js';
import type { RuntimeConfig } from '../../src/config/runtime/runtime-config.js';
import { startTestEntryPoint } from '../../src/observability/test-entrypoint.js';
import { launchChromium } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** A running configuration with one HTTPS router whose certificate came from the `le` resolver. */
function tlsRuntime(): RuntimeConfig {
  const runtime = sampleRuntime();
  runtime.routers['shop@file'] = {
    name: 'shop@file',
    provider: 'file',
    config: { rule: 'Host(`shop.test`)', service: 'app', tls: { certResolver: 'le' } },
    status: 'enabled',
    errors: [],
    usedBy: [],
    entryPoints: ['websecure'],
    tls: true,
    priority: 0,
    tlsInfo: { slot: { name: 'modern@file' }, certResolver: 'le', hosts: ['shop.test'] },
  };
  runtime.tls = {
    certificates: [
      {
        names: ['shop.test', 'www.shop.test'],
        commonName: 'shop.test',
        notAfter: new Date('2031-05-04T00:00:00Z'),
        serial: '0A',
        role: 'certificate',
      },
    ],
    options: ['default', 'modern@file'],
    certResolvers: ['le'],
  };
  return runtime;
}

describe('dashboard in Chromium: the TLS panel of a router', () => {
  let api: Awaited<ReturnType<typeof startTestEntryPoint>>;
  let browser: BrowserContext;
  let userDir: string;

  before(async () => {
    if (!existsSync(join(REPO_ROOT, 'webui', 'dist', 'index.html')))
      execFileSync(process.execPath, [join(REPO_ROOT, 'webui', 'build.mjs')]);
    const runtime = tlsRuntime();
    api = await startTestEntryPoint(
      createApiHandler({ runtime: () => runtime, staticConfig: sampleStatic(), version: 'test' }),
      'traefik',
    );
    userDir = mkdtempSync(join(tmpdir(), 'sy-chromium-'));
    browser = await launchChromium(userDir);
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    rmSync(userDir, { recursive: true, force: true });
  });

  it('shows the options served, the certificate subject, names, expiry and resolver', async () => {
    const page = await browser.newPage();
    await page.goto(api.url('/dashboard/#/routers/shop@file'));
    const panel = page.getByTestId('tls-panel');
    await panel.getByTestId('tls-certificate').waitFor({ timeout: 15_000 });
    const text = (await panel.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /modern@file/);
    assert.match(text, /Certificate CN=shop\.test/);
    assert.match(text, /Names shop\.test, www\.shop\.test/);
    assert.match(text, /Expires 2031-05-04 \(\d+ days\)/);
    assert.match(text, /Resolver le/);
    await page.close();
  });
});
