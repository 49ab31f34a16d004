import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { adminConsoleDir } from '../../apps/api/src/admin-console';
import { setRoles } from '../support/admin';
import { launchBrowser, scrollsSideways, VIEWPORTS, watchedPage, WatchedPage } from '../support/browser';
import { ADMIN, expectOk, expectPair, loginAdmin, newUser, newVerifiedUser, TestUser, WITH_ADMIN } from '../support/factories';
import { currentStep, totpAt } from '../support/totp';
import { startTestApp, TestApp } from '../support/test-app';
import type { ApiClient } from '@identity-task/client';

// A real Chromium against the real service: allow for browser start-up on a busy machine.
jest.setTimeout(180_000);

/**
 * The admin console (apps/admin, built by `npm run build` into dist/admin) in a real browser.
 * Elements are found as people find them: by label, role and name. Every page opened must leave the
 * browser console clean. With ADMIN_SCREENSHOTS=1 the tests also write the README's screenshots
 * (docs/screenshots/admin-*.png); without it nothing in the work tree changes.
 */
describe('admin console', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: ApiClient;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    if (!adminConsoleDir()) throw new Error('the admin console is not built: run `npm run build` first (npm test does)');
    t = await startTestApp({ env: { ...WITH_ADMIN } });
    admin = (await loginAdmin(t)).api;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    for (const w of opened.splice(0)) await w.close();
  });

  const open = async (viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<WatchedPage> => {
    const w = await watchedPage(browser, viewport);
    opened.push(w);
    return w;
  };
  const url = (path = '/') => `${t.baseUrl}/admin${path}`;
  const screenshot = async (page: Page, name: string) => {
    if (process.env.ADMIN_SCREENSHOTS !== '1') return;
    const dir = join(__dirname, '..', '..', 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  };

  async function signIn(page: Page, login: string, password: string, path = '/'): Promise<void> {
    await page.goto(url(path));
    await page.getByLabel('Username, email or phone').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  async function signInAsAdmin(page: Page, path = '/'): Promise<void> {
    await signIn(page, ADMIN.username, ADMIN.password, path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }
  /** Opens a page by its address in a signed-in browser: the session survives the page load (refresh cookie). */
  async function visit(page: Page, path: string): Promise<void> {
    await page.goto(url(path));
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }
  /** Waits until no part of the page says it is loading. */
  async function settled(page: Page): Promise<void> {
    const loading = page.getByRole('status').filter({ hasText: /^Loading/ });
    const deadline = Date.now() + 30_000;
    while ((await loading.count()) > 0) {
      if (Date.now() > deadline) throw new Error(`still loading: ${await loading.allTextContents()}`);
      await page.waitForTimeout(50);
    }
    // And every request the page started has been answered (the next page load would abort it).
    await page.waitForLoadState('networkidle');
  }
  const user = async (id: string) => expectOk(await admin.GET('/api/v1/users/{id}', { params: { path: { id } } }));

  it('is served at /admin as static files: strict CSP, cached hashed assets, deep links answered by the page, missing files 404', async () => {
    const index = await fetch(url());
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await index.text();
    // No inline script: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${t.baseUrl}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const deep = await fetch(url('/users/00000000-0000-4000-8000-000000000000'));
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${t.baseUrl}/admin`)).status).toBe(200);
    const missing = await fetch(url('/assets/missing-abc123.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('sign-in: a wrong password is refused in words; the admin signs in, and signs out', async () => {
    const { page, problems } = await open();
    await signIn(page, ADMIN.username, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/invalid|incorrect|wrong/i);
    await screenshot(page, 'admin-sign-in');

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    expect(await page.getByText(`Signed in as ${ADMIN.username}`).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The refused login (401) is the only failed request.
    expect(problems.filter((p) => !/\/api\/v1\/auth\/login/.test(p))).toEqual([]);
  });

  it('the session survives a reload: access token in memory only, refresh token in an HttpOnly cookie; sign-out ends it', async () => {
    const { page, problems, context } = await open();
    await signInAsAdmin(page, '/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await settled(page);
    const cookies = (await context.cookies()).sort((a, b) => a.path.localeCompare(b.path));
    expect(cookies.map((c) => ({ name: c.name, path: c.path, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([
      { name: 'refresh_token', path: '/api/v1/auth/logout', httpOnly: true, sameSite: 'Strict' },
      { name: 'refresh_token', path: '/api/v1/auth/refresh', httpOnly: true, sameSite: 'Strict' },
    ]);
    // Nothing a script can read holds a token: no JWT, no refresh token, in any storage or document.cookie.
    const readable = await page.evaluate(() => {
      type Store = { length: number; key(i: number): string | null; getItem(key: string): string | null };
      const g = globalThis as unknown as { localStorage: Store; sessionStorage: Store; document: { cookie: string } };
      const dump = (store: Store) => Array.from({ length: store.length }, (_, i) => `${store.key(i)}=${store.getItem(store.key(i) ?? '')}`);
      return [...dump(g.localStorage), ...dump(g.sessionStorage), g.document.cookie];
    });
    expect(readable.join(' ')).not.toMatch(/eyJ|refresh_token/);
    for (const cookie of cookies) expect(readable.join(' ')).not.toContain(cookie.value);

    await page.reload();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await page.getByText(`Signed in as ${ADMIN.username}`).isVisible()).toBe(true);
    await settled(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await context.cookies()).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('sign-in with two-factor authentication: password, then the authenticator code', async () => {
    const operator = await newUser(t);
    await setRoles(admin, operator.user.id, ['admin']);
    const enrolment = expectOk(await operator.api.POST('/api/v1/auth/mfa/totp', { body: { password: operator.password, name: 'Phone' } }));
    const step = currentStep();
    expectOk(await operator.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code: totpAt(enrolment.secret, step) } }));

    const { page, problems } = await open();
    await signIn(page, operator.user.username, operator.password);
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/Attempts left: \d/);
    await code.fill(totpAt(enrolment.secret, step + 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByText(`Signed in as ${operator.user.username}`).isVisible()).toBe(true);
    // Expected refusals only: the 403 MFA_REQUIRED of the password step and the wrong code's 400.
    expect(problems.filter((p) => !/\/api\/v1\/auth\/(login|mfa\/verify)/.test(p))).toEqual([]);
  });

  it('users: search → detail → disable with confirmation (checked through the API), then enable', async () => {
    const target = await newVerifiedUser(t, { firstName: 'Ada', lastName: 'Lovelace' });
    const { page, problems } = await open();
    await signInAsAdmin(page);
    await settled(page);
    await screenshot(page, 'admin-users');

    await page.getByLabel('Search', { exact: true }).fill(target.user.username);
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === target.user.username);
    const link = page.getByRole('link', { name: target.user.username });
    await link.waitFor();
    expect(await page.getByRole('link', { name: /^user_/ }).count()).toBe(1);

    await link.click();
    await page.getByRole('heading', { name: target.user.username, level: 1 }).waitFor();
    await page.getByText('Ada Lovelace').waitFor();
    await page.getByRole('button', { name: 'Disable user' }).click();
    const dialog = page.getByRole('dialog', { name: `Disable ${target.user.username}?` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('status').filter({ hasText: 'is disabled' }).waitFor();
    expect((await user(target.user.id)).status).toBe('disabled');
    // A disabled user's sessions end at once.
    expect((await target.api.GET('/api/v1/users/me')).response.status).toBe(401);
    await screenshot(page, 'admin-user');

    await page.getByRole('button', { name: 'Enable user' }).click();
    await page.getByRole('dialog', { name: `Enable ${target.user.username}?` }).getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('status').filter({ hasText: 'is enabled again' }).waitFor();
    expect((await user(target.user.id)).status).toBe('active');
    expect(problems).toEqual([]);
  });

  it('keyboard only: sign in, move through the sections with a visible focus ring, answer confirmations', async () => {
    const target = await newVerifiedUser(t);
    const { page, problems } = await open();
    await page.goto(url('/'));
    // The login field has the focus on arrival.
    await page.getByLabel('Username, email or phone').waitFor();
    await page.keyboard.type(ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await settled(page);

    // Tab order: the skip link, then the sections; the focused element shows a 3 px outline.
    const focused = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as {
          document: { activeElement: { textContent: string | null } | null };
          getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
        };
        const element = g.document.activeElement;
        const style = g.getComputedStyle(element);
        return { text: element?.textContent?.trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ text: 'Skip to content', outline: 'solid 3px' });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ text: 'Users', outline: 'solid 3px' });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ text: 'Roles', outline: 'solid 3px' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Roles and permissions' }).waitFor();
    await settled(page);

    // A confirmation: focus starts on Cancel, Escape closes it and nothing changes; Shift+Tab, Enter confirms.
    await page.getByRole('link', { name: 'Users' }).press('Enter');
    await page.getByLabel('Search', { exact: true }).fill(target.user.username);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: target.user.username }).press('Enter');
    const disable = page.getByRole('button', { name: 'Disable user' });
    await disable.press('Enter');
    await page.getByRole('dialog', { name: `Disable ${target.user.username}?` }).waitFor();
    expect((await focused()).text).toBe('Cancel');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect((await user(target.user.id)).status).toBe('active');
    await disable.press('Enter');
    await page.getByRole('dialog', { name: `Disable ${target.user.username}?` }).waitFor();
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toBe('Disable');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'is disabled' }).waitFor();
    expect((await user(target.user.id)).status).toBe('disabled');
    expect(problems).toEqual([]);
  });

  it('users: roles per application are shown and saved; a session is revoked (the page opened by its address)', async () => {
    const target = await newUser(t);
    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `console-${Date.now()}`, name: 'Console test app' } }));
    const appRole = expectOk(await admin.POST('/api/v1/roles', { body: { name: 'support', permissions: ['users:read'], applicationId: app.id } }));
    expect(Array.isArray(appRole) ? appRole[0] : appRole).toBeDefined();
    const { page, problems } = await open();
    await signInAsAdmin(page, `/users/${target.user.id}`);
    await page.getByRole('heading', { name: target.user.username, level: 1 }).waitFor();

    // Global roles: "user" is held; the application's "support" is not.
    const global = page.getByRole('group', { name: 'All applications (global roles)' });
    expect(await global.getByRole('checkbox', { name: 'user' }).isChecked()).toBe(true);
    const inApp = page.getByRole('group', { name: 'Console test app' });
    await inApp.getByRole('checkbox', { name: 'support' }).check();
    await page.getByRole('button', { name: 'Save roles in Console test app' }).click();
    await page.getByRole('status').filter({ hasText: 'Roles in Console test app saved: support' }).waitFor();
    const held = expectOk(await admin.GET('/api/v1/users/{id}/roles', { params: { path: { id: target.user.id }, query: { applicationId: app.id } } }));
    expect(held.roles.map((r) => r.name)).toEqual(['support']);

    // The user's one session (from newUser's login) is listed and revoked.
    const sessions = page.getByRole('list', { name: 'Sessions' });
    await sessions.getByRole('listitem').first().waitFor();
    expect(await sessions.getByRole('listitem').count()).toBe(1);
    await sessions.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke this session?' }).getByRole('button', { name: 'Revoke session' }).click();
    await page.getByText('No active sessions.').waitFor();
    expect((await target.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect(expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: target.user.id } } })).items).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('roles: edit one role, deactivate it, and add a permission to several roles at once', async () => {
    const suffix = Date.now().toString(36);
    const { items: [one, two] } = expectOk(
      await admin.POST('/api/v1/roles', {
        body: {
          items: [
            { name: `editor-${suffix}`, permissions: ['tasks:read:own'] },
            { name: `viewer-${suffix}`, permissions: ['tasks:read:own'] },
          ],
        },
      }),
    ) as { items: { id: string; name: string }[] };
    const role = async (id: string) => expectOk(await admin.GET('/api/v1/roles', { params: { query: { limit: 100 } } })).items.find((r) => r.id === id)!;

    const { page, problems } = await open();
    await signInAsAdmin(page, '/roles');
    await page.getByRole('heading', { name: 'Roles and permissions' }).waitFor();
    await page.getByRole('button', { name: `Edit ${one.name}` }).click();
    const form = page.getByRole('form', { name: `Edit ${one.name}` });
    await form.getByLabel('Description').fill('Edits tasks');
    await form.getByRole('checkbox', { name: 'tasks:write:own' }).check();
    await form.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').filter({ hasText: `${one.name} saved.` }).waitFor();
    expect(await role(one.id)).toMatchObject({ description: 'Edits tasks', permissions: expect.arrayContaining(['tasks:read:own', 'tasks:write:own']) });

    await page.getByRole('checkbox', { name: `Select ${one.name}` }).check();
    await page.getByRole('checkbox', { name: `Select ${two.name}` }).check();
    const bulk = page.getByRole('form', { name: 'Edit permissions of the selected roles' });
    await bulk.getByRole('checkbox', { name: 'users:read' }).check();
    await bulk.getByRole('button', { name: 'Apply to 2 roles' }).click();
    await page.getByRole('status').filter({ hasText: 'Added users:read' }).waitFor();
    expect((await role(one.id)).permissions).toContain('users:read');
    expect((await role(two.id)).permissions).toContain('users:read');
    await screenshot(page, 'admin-roles');

    await page.getByRole('listitem').filter({ hasText: two.name }).getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog', { name: `Deactivate ${two.name}?` }).getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('status').filter({ hasText: `${two.name} is inactive` }).waitFor();
    expect((await role(two.id)).active).toBe(false);
    expect(problems).toEqual([]);
  });

  it('audit log: filtered by type and user, with the filters in the address', async () => {
    const target = await newUser(t);
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: target.user.id } }, body: { status: 'disabled' } }));
    const { page, problems } = await open();
    await signInAsAdmin(page, '/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('Event type').fill('user.disabled');
    await page.getByLabel('User id').fill(target.user.id);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('type') === 'user.disabled');
    const rows = page.getByRole('row').filter({ hasText: 'user.disabled' });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    // Every data row is of the chosen type.
    expect(await page.getByRole('row').count()).toBe(2);

    // An empty result says so.
    await page.getByLabel('Event type').fill('role.deleted');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('No audit events match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('row').nth(3).waitFor();
    await screenshot(page, 'admin-audit');
    expect(problems).toEqual([]);
  });

  it('notifications and applications pages list what the service holds', async () => {
    const { page, problems } = await open();
    await signInAsAdmin(page, '/notifications');
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.getByRole('row').nth(1).waitFor();
    await page.getByLabel('Status').selectOption('sent');
    await page.waitForURL((u) => u.searchParams.get('status') === 'sent');
    await page.getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    await page.getByLabel('Client id').fill(`web-${Date.now()}`);
    await page.getByLabel('Application name').fill('Web shop');
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.getByRole('status').filter({ hasText: 'Web shop created.' }).waitFor();
    await screenshot(page, 'admin-applications');
    expect(problems).toEqual([]);
  });

  it('applications: redirect URIs are edited one a line (checked through the API)', async () => {
    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `spa-${Date.now()}`, name: 'Single-page app' } }));
    const { page, problems } = await open();
    await signInAsAdmin(page, '/applications');
    await page.getByRole('button', { name: 'Edit Single-page app' }).click();
    const form = page.getByRole('form', { name: 'Edit Single-page app' });
    await form.getByLabel('Redirect URIs').fill('https://app.example.com/callback\nhttp://localhost:5173/callback');
    await form.getByRole('button', { name: 'Save application' }).click();
    await page.getByRole('status').filter({ hasText: 'Single-page app saved.' }).waitFor();
    const saved = expectOk(await admin.GET('/api/v1/applications/{id}', { params: { path: { id: app.id } } }));
    expect(saved.redirectUris).toEqual(['https://app.example.com/callback', 'http://localhost:5173/callback']);
    await page.getByText('Redirect URIs: https://app.example.com/callback, http://localhost:5173/callback').waitFor();
    expect(problems).toEqual([]);
  });

  it('390 px: every page fits without sideways scrolling', async () => {
    const target = await newUser(t);
    const { page, problems } = await open(VIEWPORTS.phone);
    await signInAsAdmin(page);
    for (const [path, heading] of [
      ['/users', 'Users'],
      [`/users/${target.user.id}`, target.user.username],
      ['/roles', 'Roles and permissions'],
      ['/applications', 'Applications'],
      ['/audit', 'Audit log'],
      ['/notifications', 'Notifications'],
    ]) {
      await visit(page, path);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await settled(page);
      expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
      if (path === `/users/${target.user.id}`) await screenshot(page, 'admin-user-phone');
    }
    // Opening the next address while a page still loads cancels its requests (not an error a person sees).
    expect(problems.filter((p) => !/ net::ERR_ABORTED$/.test(p))).toEqual([]);
  });

  it('a user without admin permissions is refused; an operator without roles:write sees no edit controls and the API refuses them', async () => {
    const plain = await newUser(t);
    const { page, problems } = await open();
    await signIn(page, plain.user.username, plain.password);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('has no administrator permissions');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    const viewer = await readOnlyOperator();
    await signIn(page, viewer.user.username, viewer.password, '/roles');
    await page.getByRole('heading', { name: 'Roles and permissions' }).waitFor();
    await page.getByRole('list', { name: 'Roles' }).waitFor();
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Deactivate|Activate/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Create a role' }).count()).toBe(0);
    const someRole = expectOk(await admin.GET('/api/v1/roles', { params: { query: { limit: 1 } } })).items[0];
    const refused = await viewer.api.PATCH('/api/v1/roles/{id}', { params: { path: { id: someRole.id } }, body: { description: 'changed' } });
    expect(refused.response.status).toBe(403);
    // The refused non-admin's requests (403 on /roles, which told the console it holds nothing) are expected.
    expect(problems.filter((p) => !/\/api\/v1\/roles\?/.test(p))).toEqual([]);
  });

  it('an error from the API is shown in words from the problem detail, never a blank page', async () => {
    const { page, problems } = await open();
    await signInAsAdmin(page, '/audit?userId=not-a-uuid');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).not.toBe('');
    expect(await alert.textContent()).toMatch(/userId/);
    expect(problems.filter((p) => !/\/api\/v1\/audit-events\?/.test(p))).toEqual([]);
  });

  async function readOnlyOperator(): Promise<TestUser> {
    const u = await newUser(t);
    const name = `auditor-${Date.now().toString(36)}`;
    expectOk(await admin.POST('/api/v1/roles', { body: { name, permissions: ['users:read', 'roles:read', 'audit:read'] } }));
    await setRoles(admin, u.user.id, ['user', name]);
    // A fresh sign-in: its token carries the new role.
    const tokens = expectPair(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
    return { ...u, tokens, api: t.as(tokens.accessToken) };
  }
});

