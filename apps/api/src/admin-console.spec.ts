import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminContentSecurityPolicy, registerAdminConsole } from './admin-console';

describe('admin console static files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'admin-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/admin/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const app = (options: { https?: boolean; dir?: string } = {}) => {
    const fastify = Fastify();
    registerAdminConsole(fastify, { https: options.https ?? false, dir: options.dir ?? dir });
    return fastify;
  };

  it('answers index.html for /admin and every page path under it, never cached', async () => {
    const fastify = app();
    for (const url of ['/admin', '/admin/', '/admin/users', '/admin/users/6f1c0b1e-0000-4000-8000-000000000000?tab=x', '/admin/audit?type=login.failed']) {
      const res = await fastify.inject({ url });
      expect({ url, status: res.statusCode, type: res.headers['content-type'], cache: res.headers['cache-control'] }).toEqual({
        url,
        status: 200,
        type: 'text/html; charset=utf-8',
        cache: 'no-cache',
      });
      expect(res.body).toContain('/admin/assets/index-abc123.js');
      expect(res.headers['content-security-policy']).toBe(adminContentSecurityPolicy(false));
    }
  });

  it('serves hashed assets with their type and a year-long immutable cache', async () => {
    const fastify = app();
    const js = await fastify.inject({ url: '/admin/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect((await fastify.inject({ url: '/admin/assets/index-abc123.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await fastify.inject({ method: 'HEAD', url: '/admin/assets/index-abc123.js' })).statusCode).toBe(200);
  });

  it('a file that is not there is a 404 problem, not the page; nothing outside the build is reachable', async () => {
    const fastify = app();
    for (const url of ['/admin/assets/index-old999.js', '/admin/favicon.ico']) {
      const res = await fastify.inject({ url });
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({ url, status: 404, type: 'application/problem+json; charset=utf-8' });
      expect(res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    // Paths leaving /admin: the router normalises them away from this handler, or they name no file it holds.
    for (const url of ['/admin/../package.json', '/admin/%2e%2e/package.json', '/admin/assets/../../package.json', '/admin/assets/%2e%2e%2f%2e%2e%2fpackage.json']) {
      expect({ url, status: (await fastify.inject({ url })).statusCode }).toEqual({ url, status: 404 });
    }
  });

  it('without a build: 404 ADMIN_CONSOLE_NOT_BUILT in words', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'admin-console-empty-'));
    try {
      const res = await app({ dir: empty }).inject({ url: '/admin' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, code: 'ADMIN_CONSOLE_NOT_BUILT', detail: expect.stringContaining('npm run build') });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('the CSP: no inline script or style, no eval, only this origin; https adds upgrade-insecure-requests', () => {
    const csp = adminContentSecurityPolicy(false);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe|upgrade-insecure-requests/);
    expect(adminContentSecurityPolicy(true)).toContain('upgrade-insecure-requests');
  });
});
