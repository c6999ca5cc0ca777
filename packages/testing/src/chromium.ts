// Headless Chromium for the tests of HTML pages (reports, training curves); its own entry
// (`@selfsup/testing/chromium`) so other tests do not load playwright.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';

/** The browser the page tests drive (`CHROMIUM_PATH`, else Debian's); they skip when it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Fraction of pixels that are not near-white: a blank page or plot scores ~0. */
export async function inkFraction(png: Buffer | string): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
  return ink / (info.width * info.height);
}

/**
 * Open the HTML file `file` in headless Chromium (1200x900) and run `use` on the page with
 * the console errors and page errors seen while it loaded; the browser is closed after.
 */
export async function withPageInChromium(
  file: string,
  use: (page: Page, problems: string[]) => Promise<void>,
): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await use(page, problems);
  } finally {
    await browser.close();
  }
}
