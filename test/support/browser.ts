import chromium from '@sparticuz/chromium';
import { Browser, BrowserContext, chromium as playwright, ConsoleMessage, Page } from 'playwright-core';

/**
 * A real headless Chromium for browser tests: the binary ships inside the `@sparticuz/chromium` npm
 * package (Playwright's own browser download is not needed), driven by `playwright-core`.
 * `hostMap` maps host names to 127.0.0.1 (Chromium's resolver), so a test can use a non-localhost
 * name over plain HTTP, as a LAN or docker-compose host would be.
 */
export async function launchBrowser(options: { hostMap?: string[] } = {}): Promise<Browser> {
  // `--single-process` (meant for AWS Lambda) makes closing a browser context end the whole browser.
  const args = [...chromium.args.filter((arg) => arg !== '--single-process'), '--no-sandbox'];
  if (options.hostMap?.length) args.push(`--host-resolver-rules=${options.hostMap.map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`);
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and failed or 4xx/5xx subresource requests seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A fresh context and page at the given viewport that records everything a user's console would
 * show as an error. A test asserts `problems` is empty (top-level navigations answered 4xx on
 * purpose, such as a bad link's page, are not counted).
 */
export async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  // Chrome logs "Failed to load resource … 400" for a page answered 4xx on purpose; only that one is ignored.
  const refusedPages = new Set<string>();
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    if (message.text().startsWith('Failed to load resource') && refusedPages.has(message.location().url)) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    const request = response.request();
    if (response.status() >= 400 && request.isNavigationRequest()) refusedPages.add(response.url());
    else if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { context, page, problems, close: () => context.close() };
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function scrollsSideways(page: Page): Promise<boolean> {
  // Runs in the page; the tests' type-check has no DOM library, hence the minimal shape.
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth > root.clientWidth;
  });
}
