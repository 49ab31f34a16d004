import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { problemDocument } from '@app/core';

export const ADMIN_PATH = '/admin';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The console's Content-Security-Policy, stricter than the one the rest of the service sends (Swagger
 * UI needs inline styles): scripts and styles only from files of this origin — no inline script or
 * style, no eval — and the console talks only to this origin's API. `upgrade-insecure-requests` only
 * when the public URL is https (see security-headers.ts).
 */
export function adminContentSecurityPolicy(https: boolean): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

interface StaticFile {
  body: Buffer;
  type: string;
  /** Vite names the files under assets/ by their content hash: cacheable for ever. */
  immutable: boolean;
}

/** Where `npm run build` puts the console: dist/admin (this file runs from dist/apps/api/src or, in tests, apps/api/src). */
export function adminConsoleDir(): string | undefined {
  const candidates = [join(__dirname, '..', '..', '..', 'admin'), join(__dirname, '..', '..', '..', 'dist', 'admin')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

function readTree(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(dir, path).split(sep).join('/');
        files.set(rel, { body: readFileSync(path), type: TYPES[extname(name)] ?? 'application/octet-stream', immutable: rel.startsWith('assets/') });
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * Serves the admin console (apps/admin, built by `npm run build`) at /admin: its files from memory
 * (read once at start: a few hundred kilobytes; no path ever reaches the file system), hashed assets
 * with a year-long immutable cache, and index.html — never cached, so a new release is picked up —
 * for every other path under /admin, so that deep links (/admin/users/…) work on reload. A missing
 * asset is a 404, not the page. Without a build the console answers 404 ADMIN_CONSOLE_NOT_BUILT.
 */
export function registerAdminConsole(fastify: FastifyInstance, options: { https: boolean; dir?: string }): void {
  const dir = options.dir ?? adminConsoleDir();
  const files = dir ? readTree(dir) : new Map<string, StaticFile>();
  const index = files.get('index.html');
  const csp = adminContentSecurityPolicy(options.https);

  const sendFile = (reply: FastifyReply, file: StaticFile) => {
    reply.header('content-security-policy', csp);
    reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('x-content-type-options', 'nosniff');
    return reply.type(file.type).send(file.body);
  };
  const notFound = (reply: FastifyReply, url: string, code: string, detail: string) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(problemDocument(404, code, detail, url));

  const handler = async (request: { url: string; params: unknown }, reply: FastifyReply) => {
    if (!index) return notFound(reply, request.url, 'ADMIN_CONSOLE_NOT_BUILT', 'The admin console has not been built: run `npm run build`.');
    const path = ((request.params as { '*'?: string })['*'] ?? '').split('?')[0];
    const file = files.get(path);
    if (file && path !== 'index.html') return sendFile(reply, file);
    // A file that is not there (an old hashed asset, a typo) is a 404; any other path is a page of the app.
    if (path.startsWith('assets/') || /\.[a-z0-9]+$/i.test(path)) return notFound(reply, request.url, 'NOT_FOUND', `No file ${ADMIN_PATH}/${path}.`);
    return sendFile(reply, index);
  };
  fastify.get(ADMIN_PATH, handler);
  fastify.get(`${ADMIN_PATH}/*`, handler);
}
