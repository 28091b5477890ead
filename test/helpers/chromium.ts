import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, headless, with its own profile in `userDir` (no download, no network of its own). */
export function launchChromium(
  userDir: string,
  viewport = { width: 1280, height: 900 },
  options: { ignoreHTTPSErrors?: boolean } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDir, {
    ...options,
    viewport,
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
