import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core: no browser is ever downloaded (.ci/run installs the package).
 * CHROMIUM_PATH points elsewhere on a developer's machine.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM = `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a fresh profile of its own, offline. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'finos-ekyc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 } });
  await context.setOffline(true);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request but the page itself and the files `allowed` lets through: each was aborted. */
  blocked: string[];
  /** alert(), confirm() and prompt() the page tried. */
  dialogs: string[];
  /** From navigation to the page's script having rendered the list. */
  readyMs: number;
}

/** Opens a report from file:// and waits until its script has rendered; any other request is aborted and counted. */
export async function openReport(browser: Browser, file: string, allowed: (url: string) => boolean = () => false): Promise<OpenedReport> {
  const url = pathToFileURL(file).href;
  const page = await browser.context.newPage();
  const opened: OpenedReport = { page, errors: [], blocked: [], dialogs: [], readyMs: 0 };
  page.on('console', (m) => {
    if (m.type() === 'error') opened.errors.push(m.text());
  });
  page.on('pageerror', (e) => opened.errors.push(e.message));
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (target === url || allowed(target)) return route.continue();
    opened.blocked.push(target);
    return route.abort();
  });
  const start = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  opened.readyMs = Date.now() - start;
  return opened;
}

/** Where screenshots go: ignored by git (.cache/), kept after the run for a person to look at. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '.cache', 'screenshots');
