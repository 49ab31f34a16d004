import { MetricsServer } from '../../apps/api/src/ops/metrics-server';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const TOKEN = 'scrape-token-for-the-tests-0123456789';

async function expectUnauthenticated(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
  expect(await json(res)).toMatchObject({ code: 'UNAUTHENTICATED' });
}

describe('/metrics protection', () => {
  describe('with METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
    });
    afterAll(() => t.close());

    it('answers 401 without the bearer token or with a wrong one, and the metrics with it', async () => {
      await expectUnauthenticated(await fetch(`${t.baseUrl}/metrics`));
      await expectUnauthenticated(await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } }));
      await expectUnauthenticated(await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: TOKEN } }));
      const ok = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('process_cpu_user_seconds_total');
      // The health probes stay open.
      expect((await fetch(`${t.baseUrl}/health/live`)).status).toBe(200);
    });
  });

  describe('with METRICS_PORT (and a token)', () => {
    let t: TestApp;
    let management: string;
    beforeAll(async () => {
      t = await startTestApp({ env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_TOKEN: TOKEN } });
      management = `http://127.0.0.1:${t.app.get(MetricsServer).port}`;
    });
    afterAll(() => t.close());

    it('serves /metrics only on the management port', async () => {
      expect(t.app.get(MetricsServer).port).toBeGreaterThan(0);
      const onApi = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(onApi.status).toBe(404);
      expect(await json(onApi)).toMatchObject({ code: 'ROUTE_NOT_FOUND' });

      await expectUnauthenticated(await fetch(`${management}/metrics`));
      const ok = await fetch(`${management}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await ok.text()).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/metrics"[^}]*status="404"/);

      const other = await fetch(`${management}/api/v1/users/me`);
      expect(other.status).toBe(404);
      expect(await json(other)).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect((await fetch(`${management}/metrics`, { method: 'POST' })).status).toBe(405);
    });

    it('closes the management port with the application', async () => {
      await t.close();
      await expect(fetch(`${management}/metrics`)).rejects.toThrow();
    });
  });
});
