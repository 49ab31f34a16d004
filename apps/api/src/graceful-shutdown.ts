import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ShutdownState } from '@app/core';

export interface ShutdownOptions {
  delayMs: number;
  timeoutMs: number;
}

const logger = new Logger('Shutdown');

/**
 * Drains the instance: readiness turns 503 at once, then after `delayMs` the server stops accepting,
 * lets in-flight requests finish, and the pool and the embedded database close.
 */
export async function drainAndClose(app: INestApplication, options: ShutdownOptions): Promise<void> {
  app.get(ShutdownState).beginDraining();
  if (options.delayMs > 0) await new Promise((r) => setTimeout(r, options.delayMs));
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
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
