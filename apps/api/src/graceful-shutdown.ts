import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType, ShutdownState, statusTitle } from '@app/core';

export interface ShutdownOptions {
  delayMs: number;
  timeoutMs: number;
}

const logger = new Logger('Shutdown');

/**
 * Counts the requests in flight and, once the instance is closing, refuses new ones before any work:
 * 503 problem+json `SERVICE_UNAVAILABLE` with `Retry-After` and `Connection: close`, so that clients
 * on kept-alive connections go to another instance. Registered first, ahead of every other hook.
 */
export function registerShutdownGate(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (state.isClosing) {
      const code = 'SERVICE_UNAVAILABLE';
      void reply
        .code(503)
        .header('Connection', 'close')
        .header('Retry-After', '1')
        .header('Cache-Control', 'no-store')
        .type(PROBLEM_CONTENT_TYPE)
        .send({ type: problemType(code), title: statusTitle(503), status: 503, detail: 'This instance is shutting down; retry', instance: request.url.split('?')[0], code });
      return;
    }
    state.requestStarted();
    reply.raw.once('close', () => state.requestEnded());
    done();
  });
}

/**
 * Drains the instance: readiness turns 503 at once; after `delayMs` new requests are refused and
 * those in flight finish; only then does the application close (background work, queues, sockets,
 * the pool and the embedded database), so nothing a request needs is closed under it.
 */
export async function drainAndClose(app: INestApplication, options: ShutdownOptions): Promise<void> {
  const state = app.get(ShutdownState);
  state.beginDraining();
  if (options.delayMs > 0) await new Promise((r) => setTimeout(r, options.delayMs));
  state.beginClosing();
  if (!(await state.whenIdle(options.timeoutMs / 2))) logger.warn(`${state.requestsInFlight} requests still in flight; closing anyway`);
  await app.close();
}

export function installSignalHandlers(app: INestApplication, options: ShutdownOptions): void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    logger.log(`${signal} received: draining`);
    const force = setTimeout(() => {
      logger.error(`Shutdown took longer than ${options.timeoutMs} ms; exiting`);
      process.exit(1);
    }, options.timeoutMs);
    force.unref();
    drainAndClose(app, options).then(
      () => {
        logger.log('Shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
