import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * The service's own modules without the HTTP server, so that CLI commands run the very same use cases
 * (on DATABASE_URL or the embedded database).
 */
export async function withAppContext<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const { AppModule } = await import('../../api/src/app.module');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
