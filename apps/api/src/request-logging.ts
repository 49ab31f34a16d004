import type { FastifyInstance } from 'fastify';
import type { Logger as Pino } from 'pino';
import { requestLogContext, requestSummary } from '@app/core';

/** Probes and scrapes would drown the access log. */
const UNLOGGED = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Request logging with Fastify's own hooks (no Express-style middleware layer): every line written
 * while a handler runs carries the request id (`reqId`, through `requestLogContext`), and — when the
 * level includes `info` — one access line per finished request with method, redacted URL, status and
 * response time. At `warn` and above the access line costs nothing: its hook is not even installed.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Pino): void {
  // After body parsing, so that the context is the one the handler's continuations inherit.
  fastify.addHook('preValidation', (request, _reply, done) => {
    requestLogContext.run({ reqId: request.id }, done);
  });
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!UNLOGGED.has(request.url)) {
      const statusCode = reply.statusCode;
      const line = { req: requestSummary(request.raw), res: { statusCode }, responseTime: Math.round(reply.elapsedTime * 100) / 100 };
      // 503 is a deliberate refusal (logins shed, draining, not ready), not a fault: no error line.
      if (statusCode >= 500 && statusCode !== 503) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    }
    done();
  });
}
