import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpConfig } from '@app/core';

/**
 * Helmet's defaults with our CSP. `upgrade-insecure-requests` only when the public URL is https: on a
 * plain-HTTP host (a LAN address, a docker-compose name) it would rewrite every asset and form action
 * of Swagger UI and the hosted pages to an https that does not answer. Likewise
 * Cross-Origin-Opener-Policy: browsers ignore it on such an origin and log an error for every page.
 */
export function helmetOptions(http: Pick<HttpConfig, 'env' | 'publicBaseUrl'>): HelmetOptions {
  const https = http.publicBaseUrl.startsWith('https:');
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    crossOriginOpenerPolicy: https ? { policy: 'same-origin' } : false,
    hsts: http.env === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}

/**
 * The headers helmet sets for this configuration, computed once. Helmet's answer does not depend on
 * the request (no CSP nonces here), whereas @fastify/helmet rebuilds helmet — parsing the CSP
 * again — on every request, which the benchmark showed to be one of the largest per-request costs.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name];
    },
  } as unknown as ServerResponse;
  helmet(options)({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Every response (errors and 404s included) carries the request id and the precomputed security
 * headers, set by one hook.
 */
export function registerResponseHeaders(fastify: FastifyInstance, http: Pick<HttpConfig, 'env' | 'publicBaseUrl'>): void {
  const headers = Object.entries(securityHeaders(helmetOptions(http)));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
