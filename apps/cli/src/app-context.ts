import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CliContext } from './context';

/**
 * The service's own modules without the HTTP server, so that CLI commands run the very same use cases
 * (on DATABASE_URL or the embedded database).
 */
export async function withAppContext<T>(context: CliContext, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const { AppRootModule } = await import('../../api/src/app.module');
  const app = await NestFactory.createApplicationContext(AppRootModule.forRoot({ config: context.config() }), { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
