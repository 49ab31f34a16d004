import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CliContext } from './context';

/**
 * The service's features in the CLI's lean module (no HTTP server, schedule, workers or LISTEN), so
 * that commands run the very same use cases (on DATABASE_URL or the embedded database).
 */
export async function withAppContext<T>(context: CliContext, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const { CliModule } = await import('./cli.module');
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(context.config()), { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
