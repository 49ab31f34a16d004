import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { drainAndClose } from '../../apps/api/src/graceful-shutdown';
import { ProbeAppModule, ProbeController } from '../support/probe.module';
import { eventually } from '../support/eventually';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

describe('foundation (over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ module: ProbeAppModule, env: { CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => t.close());

  describe('operations', () => {
    it('answers liveness and readiness through the generated client', async () => {
      const live = await t.api.GET('/health/live');
      expect(live.response.status).toBe(200);
      const ready = await t.api.GET('/health/ready');
      expect(ready.response.status).toBe(200);
      expect(ready.data?.details).toMatchObject({ database: { status: 'up' }, lifecycle: { status: 'up' } });
    });

    it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
      const ui = await fetch(`${t.baseUrl}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui');
      const doc = await json(await fetch(`${t.baseUrl}/docs-json`));
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.securitySchemes.oauth2.flows.password.tokenUrl).toBe('/api/v1/auth/token');
      const ids: string[] = [];
      for (const path of Object.values<Record<string, { operationId: string; tags?: string[]; responses: Record<string, { content?: object }> }>>(doc.paths)) {
        for (const op of Object.values(path)) {
          ids.push(op.operationId);
          expect(op.operationId).toMatch(/^[a-z][A-Za-z0-9]*$/);
          expect(op.tags?.length).toBeGreaterThan(0);
          for (const [status, response] of Object.entries(op.responses)) {
            // Errors are problem documents; the OAuth2 token endpoint answers RFC 6749 JSON instead, and
            // the emailed links' pages answer HTML beside them (test/unit/openapi-document walks the rest).
            const expected = op.operationId === 'issueToken' ? ['application/json'] : ['application/problem+json'];
            if (Number(status) >= 400) expect(Object.keys(response.content ?? {}).filter((type) => type !== 'text/html')).toEqual(expected);
          }
        }
      }
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('exposes Prometheus metrics with a request-duration histogram by route template', async () => {
      await fetch(`${t.baseUrl}/health/live`);
      const res = await fetch(`${t.baseUrl}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*status="200"/);
      expect(text).toContain('db_queries_total');
    });

    it('echoes a well-formed x-request-id and makes one otherwise', async () => {
      const given = await fetch(`${t.baseUrl}/health/live`, { headers: { 'x-request-id': 'abc-123' } });
      expect(given.headers.get('x-request-id')).toBe('abc-123');
      const made = await fetch(`${t.baseUrl}/health/live`, { headers: { 'x-request-id': 'bad id with spaces' } });
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sends security headers and answers CORS only for configured origins', async () => {
      const res = await fetch(`${t.baseUrl}/health/live`, { headers: { origin: 'https://app.example.com' } });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const other = await fetch(`${t.baseUrl}/health/live`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('problem+json for every failure', () => {
    it('unknown route → 404 ROUTE_NOT_FOUND', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/nothing-here?x=1`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(await json(res)).toEqual({
        type: 'urn:problem-type:route-not-found',
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        instance: '/api/v1/nothing-here',
        code: 'ROUTE_NOT_FOUND',
      });
    });

    it('validation failure → 400 VALIDATION_FAILED with errors[], nested fields included', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/probe/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nope', count: 11, address: { city: 'x' } }),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      const body = await json(res);
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['address.city', 'count', 'email']);
    });

    it('unknown fields are refused, not dropped', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/probe/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@b.co', count: 1, address: { city: 'Oslo' }, role: 'admin' }),
      });
      expect(res.status).toBe(400);
      expect((await json(res)).errors).toEqual([{ field: 'role', message: 'unknown field' }]);
    });

    it('a valid body passes', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/probe/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@b.co', count: 3, address: { city: 'Oslo' } }),
      });
      expect(res.status).toBe(201);
      expect(await json(res)).toEqual({ ok: true, count: 3 });
    });

    it('malformed JSON → 400 MALFORMED_JSON', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/probe/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect((await json(res)).code).toBe('MALFORMED_JSON');
    });

    it('a body over 1 MiB → 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/probe/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x'.repeat(1024 * 1024 + 10) }),
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect((await json(res)).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('an unexpected error → 500 without stack or internals', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/probe/crash`);
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      const text = await res.text();
      expect(text).not.toMatch(/secret|postgres:|stack|at /);
      expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    });
  });
});

describe('graceful shutdown', () => {
  it('turns readiness 503, finishes the in-flight request, then closes', async () => {
    const t = await startTestApp({ module: ProbeAppModule });
    const inFlight = fetch(`${t.baseUrl}/api/v1/probe/slow`).then(async (r) => ({ status: r.status, body: await json(r) }));
    // The request has reached its handler (which waits to be released).
    await eventually('the slow request to arrive', () => ProbeController.releaseSlow !== undefined);
    const closing = drainAndClose(t.app, { delayMs: 300, timeoutMs: 5000 });
    const ready = await fetch(`${t.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await json(ready)).code).toBe('NOT_READY');
    ProbeController.releaseSlow!();
    await expect(inFlight).resolves.toEqual({ status: 200, body: { finished: true } });
    await closing;
    await expect(fetch(`${t.baseUrl}/health/live`)).rejects.toThrow();
    await t.close();
  });
});

describe('production configuration', () => {
  it('refuses to start, naming each problem, with a non-zero exit', () => {
    const result = spawnSync(process.execPath, [join(__dirname, '../../dist/apps/api/src/main.js')], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', OTP_TEST_DESTINATIONS: '+15550001111=000000' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Refusing to start');
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('JWT_SIGNING_KEYS');
    expect(result.stderr).toContain('OTP_TEST_DESTINATIONS');
    expect(result.stderr).toContain('METRICS_TOKEN or METRICS_PORT is required in production');
  });
});
