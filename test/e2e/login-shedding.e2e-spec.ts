import { randomBytes } from 'node:crypto';
import { expectOk, uniqueName } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { sql } from '../support/test-database';

/**
 * Logins shed when the password hasher is saturated are refused before the Nest pipeline: before
 * validation (a body that would be a 400 gets the 503), before the per-address limit (a refusal
 * spends none of the budget), with 503 LOGIN_BUSY + Retry-After, and counted in /metrics.
 */
describe('login shedding before the pipeline', () => {
  let t: TestApp;
  let account: { login: string; password: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0', AUTH_RATE_LIMIT: '1000' } });
    const { username } = uniqueName('shed');
    account = { login: username, password: `pw-${randomBytes(8).toString('hex')}` };
    expectOk(await t.api.POST('/api/v1/auth/register', { body: { username, password: account.password } }));
  });
  afterAll(() => t.close());

  const rateRows = async () => Number((await sql(t.db.url, `SELECT count(*)::int AS n FROM rate_limits`))[0].n);

  /** One real login holds the only hashing slot (argon2id, tens of ms); `probe` is sent again and again until it ends. */
  async function whileHolding<T>(probe: () => Promise<T>, holderStatuses = [200]): Promise<T[]> {
    let held = true;
    const holder = t.api.POST('/api/v1/auth/login', { body: account }).finally(() => (held = false));
    const answers: T[] = [];
    while (held) answers.push(await probe());
    expect(holderStatuses).toContain((await holder).response.status);
    return answers;
  }

  const invalidLogin = async () => {
    // Not a valid login body (no password): past the gate it would be a 400.
    const res = await fetch(`${t.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'x' }) });
    return { status: res.status, body: await json(res), retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type') };
  };

  it('answers 503 LOGIN_BUSY with Retry-After while every hashing slot is busy, whatever the body', async () => {
    const deadline = Date.now() + 30_000;
    let shed: Awaited<ReturnType<typeof invalidLogin>> | undefined;
    while (!shed && Date.now() < deadline) {
      const answers = await whileHolding(invalidLogin);
      for (const r of answers) expect([400, 503]).toContain(r.status);
      shed = answers.find((r) => r.status === 503);
    }
    expect(shed).toMatchObject({ retryAfter: '1', body: { status: 503, code: 'LOGIN_BUSY', instance: '/api/v1/auth/login' } });
    expect(shed!.contentType).toMatch(/^application\/problem\+json/);

    // The password grant of /auth/token, in its RFC 6749 form (these probes hash too: the holder may be the one shed).
    const passwordGrant = async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'x', password: 'not it at all' }).toString(),
      });
      return { status: res.status, body: await json(res), retryAfter: res.headers.get('retry-after') };
    };
    let tokenShed: Awaited<ReturnType<typeof passwordGrant>> | undefined;
    while (!tokenShed && Date.now() < deadline) tokenShed = (await whileHolding(passwordGrant, [200, 503])).find((r) => r.status === 503);
    expect(tokenShed).toMatchObject({ retryAfter: '1', body: { error: 'temporarily_unavailable' } });

    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/auth_logins_shed_total\{route="login"\} [1-9]/);
    expect(metrics).toMatch(/auth_logins_shed_total\{route="token"\} [1-9]/);
  });

  it('does not spend the per-address budget on a refusal', async () => {
    const deadline = Date.now() + 30_000;
    let checked = false;
    while (!checked && Date.now() < deadline) {
      await sql(t.db.url, `DELETE FROM rate_limits`);
      const statuses = (await whileHolding(invalidLogin)).map((r) => r.status);
      const shed = statuses.filter((s) => s === 503).length;
      if (shed === 0) continue;
      // The holder and each probe that got past the gate spent 60 ms of budget (1000 a minute); the shed ones none.
      const passed = statuses.length - shed;
      const ahead = (await sql(t.db.url, `SELECT extract(epoch FROM tat - now())::float8 AS ahead FROM rate_limits WHERE key = 'ip:login:127.0.0.1'`))[0].ahead as number;
      expect(ahead).toBeLessThanOrEqual((passed + 1) * 0.06 + 0.005);
      expect(ahead).toBeLessThan((passed + 1 + shed) * 0.06 - 0.03);
      checked = true;
    }
    expect(checked).toBe(true);
    expect(await rateRows()).toBeGreaterThan(0);
  });
});
