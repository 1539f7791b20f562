// Debian's Chromium started the one way every end-to-end file needs on this offline machine (no sandbox as root, no
// GPU, no background traffic), and pages that report their own script errors to the test output.
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.GLIMPSE_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

export async function openPage(browser: Browser, viewport: { width: number; height: number }, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await browser.newPage({ ...options, viewport });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}
