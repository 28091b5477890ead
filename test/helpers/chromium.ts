import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, headless, through playwright-core (no browser download), with its profile in `userDir`. */
export function launchChromium(
  userDir: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDir, {
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
