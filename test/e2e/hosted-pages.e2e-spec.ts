import type { Browser, Page } from 'playwright-core';
import { launchBrowser, scrollsSideways, VIEWPORTS, watchedPage, WatchedPage } from '../support/browser';
import { expectOk, newUser, newVerifiedUser } from '../support/factories';
import { Messaging, startMessaging } from '../support/messaging';
import { linkIn } from '../support/smtp';
import { freePort, startTestApp, TestApp } from '../support/test-app';

// A real Chromium, the real queue and SMTP server: allow for browser start-up and delivery retries.
jest.setTimeout(120_000);

const APP = 'http://app.test:5173';
const PRODUCT = 'Acme Accounts';

/**
 * The emailed-link pages and Swagger UI in a real browser, at phone and desktop widths, on `localhost`
 * and on another host name over plain HTTP (where an https upgrade in the CSP would break them).
 */
describe.each([
  ['localhost', 'localhost'],
  ['a non-localhost host name over plain HTTP', 'pages.test'],
])('hosted pages on %s', (_label, host) => {
  let m: Messaging;
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    m = await startMessaging();
    const port = await freePort();
    origin = `http://${host}:${port}`;
    t = await startTestApp({ port, env: { ...m.env, PUBLIC_BASE_URL: origin, PRODUCT_NAME: PRODUCT, REDIRECT_ALLOWLIST: `${APP}/` } });
    browser = await launchBrowser({ hostMap: host === 'localhost' ? [] : [host] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await m?.stop();
  });
  afterEach(async () => {
    for (const w of opened.splice(0)) await w.close();
  });

  const open = async (viewport: { width: number; height: number }): Promise<WatchedPage> => {
    const w = await watchedPage(browser, viewport);
    opened.push(w);
    return w;
  };
  const mailTo = async (email: string, subject: string, count = 1) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const mails = m.smtp.to(email).filter((x) => x.subject === subject);
      if (mails.length >= count) return mails[count - 1];
      if (Date.now() > deadline) throw new Error(`no "${subject}" #${count} to ${email}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const expectFits = async (page: Page) => expect(await scrollsSideways(page)).toBe(false);

  it('password reset from the emailed link: a rejected password, then a successful retry, then "Continue to" the app (390 px)', async () => {
    const u = await newVerifiedUser(t);
    const asked = await t.api.POST('/api/v1/auth/password/forgot', { body: { login: u.user.username, redirectTo: `${APP}/signed-in` } });
    expect(asked.response.status).toBe(202);
    const link = linkIn((await mailTo(u.user.email!, 'Reset your password')).text);
    expect(link.startsWith(`${origin}/api/v1/auth/password/reset?token=`)).toBe(true);

    const { page, problems } = await open(VIEWPORTS.phone);
    const first = await page.goto(link);
    expect(first?.status()).toBe(200);
    expect(first?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await expect(page.title()).resolves.toBe(`Choose a new password · ${PRODUCT}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await page.getByText(PRODUCT, { exact: true }).isVisible()).toBe(true);
    // The hidden username field password managers use, holding the account's address.
    const username = page.locator('input[autocomplete="username"]');
    expect(await username.inputValue()).toBe(u.user.email);
    expect(await username.isVisible()).toBe(false);
    await expectFits(page);

    const password = page.getByLabel('New password (8 to 128 characters)');
    await password.fill('password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/too common/i);
    // The re-shown form: the error is tied to the field, and it posts to the same absolute address.
    expect(await password.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('form').getAttribute('action')).toBe('/api/v1/auth/password/reset/form');
    await expectFits(page);

    const newPassword = 'a-brand-new-password-42';
    await password.fill(newPassword);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    expect(page.url()).toBe(`${origin}/api/v1/auth/password/reset/form`);
    const back = page.getByRole('link', { name: 'Continue to app.test:5173' });
    expect(await back.getAttribute('href')).toBe(`${APP}/signed-in`);
    await expectFits(page);
    expect(problems).toEqual([]);

    expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: newPassword } })).response.status).toBe(200);
  });

  it('email verification from a resent link, with "Continue to" the app; the used link then says so (desktop)', async () => {
    const u = await newUser(t);
    await mailTo(u.user.email!, 'Verify your email address');
    const refused = await u.api.POST('/api/v1/auth/email/resend', { body: { redirectTo: 'https://evil.example.com/' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ code: 'REDIRECT_NOT_ALLOWED' });
    expect((await u.api.POST('/api/v1/auth/email/resend', { body: { redirectTo: `${APP}/welcome` } })).response.status).toBe(202);
    const link = linkIn((await mailTo(u.user.email!, 'Verify your email address', 2)).text);

    const { page, problems } = await open(VIEWPORTS.desktop);
    expect((await page.goto(link))?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Email address verified' }).waitFor();
    expect(await page.getByRole('link', { name: 'Continue to app.test:5173' }).getAttribute('href')).toBe(`${APP}/welcome`);
    expect(expectOk(await u.api.GET('/api/v1/users/me'))).toMatchObject({ emailVerified: true });

    expect((await page.goto(link))?.status()).toBe(400);
    await page.getByRole('heading', { name: 'Email address not verified' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not valid/);
    expect(problems).toEqual([]);
  });

  it.each([
    ['390 px', VIEWPORTS.phone],
    ['desktop', VIEWPORTS.desktop],
  ])('bad links answer a human page, never JSON (%s)', async (_name, viewport) => {
    const { page, problems } = await open(viewport);
    const cases: [string, string, RegExp][] = [
      ['/api/v1/auth/password/reset', 'This link cannot be used', /token is missing/],
      ['/api/v1/auth/password/reset?token=', 'This link cannot be used', /token is missing/],
      ['/api/v1/auth/password/reset?token=not-a-real-token', 'This link cannot be used', /not valid/],
      ['/api/v1/auth/password/reset?token=a&token=b', 'This link cannot be used', /token is missing/],
      ['/api/v1/auth/email/verify', 'Email address not verified', /token is missing/],
      ['/api/v1/auth/email/verify?token=not-a-real-token', 'Email address not verified', /not valid/],
      // A redirectTo the allow-list does not name is never offered as a link.
      ['/api/v1/auth/email/verify?token=x&redirectTo=https%3A%2F%2Fevil.example.com%2F', 'Email address not verified', /not valid/],
    ];
    for (const [path, heading, text] of cases) {
      const response = await page.goto(`${origin}${path}`);
      expect(response?.status()).toBe(400);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      await page.getByRole('heading', { name: heading }).waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(text);
      expect(await page.getByRole('link').count()).toBe(0);
      await expectFits(page);
    }
    // A form posted without its token (a mangled page) gets the same page.
    const posted = await fetch(`${t.baseUrl}/api/v1/auth/password/reset/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'newPassword=whatever-password-1',
    });
    expect(posted.status).toBe(400);
    expect(await posted.text()).toContain('token is missing');
    expect(problems).toEqual([]);
  });

  it('Swagger UI renders its operation list (no blank page, no console errors)', async () => {
    const { page, problems } = await open(VIEWPORTS.desktop);
    const response = await page.goto(`${origin}/docs`);
    expect(response?.status()).toBe(200);
    const operation = page.getByText('/api/v1/auth/password/forgot', { exact: true }).first();
    await operation.waitFor({ state: 'visible' });
    expect(problems).toEqual([]);
  });
});
