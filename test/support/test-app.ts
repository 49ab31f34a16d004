import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { ApiClient, createApiClient } from '@identity-task/client';
import { loadConfig } from '@app/core';
import { TestClock } from './clock';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  db: TestDatabase;
  dataDir: string;
  /** The service's only clock: `t.clock.advance(61_000)` instead of waiting a minute. */
  clock: TestClock;
  /** The settings this instance was started with (as a restart would need them). */
  env: Record<string, string>;
  /** The generated client, unauthenticated. */
  api: ApiClient;
  /** The generated client sending the given access token. */
  as(token: string): ApiClient;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Settings for this instance; `undefined` unsets one (the configuration's default applies). */
  env?: Record<string, string | undefined>;
  module?: Type<unknown>;
  /** Share a database with another instance (multi-instance tests). */
  db?: TestDatabase;
  /** Reuse a data directory (signing keys) across restarts; it is then left for the caller to remove. */
  dataDir?: string;
  /** Listen on this port (default: a free one); for a PUBLIC_BASE_URL that must name the port. */
  port?: number;
  /** Share a clock with another instance (multi-instance tests); default: a new one. */
  clock?: TestClock;
}

/** A port free right now on 127.0.0.1 (to name it in PUBLIC_BASE_URL before the app listens on it). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** The real app over real HTTP on a random port, on its own database cloned from the template. */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'its-app-'));
  // The settings are this instance's own: the configuration is parsed from them once and passed in,
  // nothing reads (or writes) process.env.
  const settings: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    MIGRATIONS_RUN: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_SIZE: '4',
    // Suites log in (and upload) many times from 127.0.0.1 as a few users: limits far above what they
    // send. The rate-limit tests pass `AUTH_RATE_LIMIT: undefined` (or `UPLOAD_RATE_LIMIT: undefined`)
    // to run with the defaults.
    AUTH_RATE_LIMIT: '1000000',
    UPLOAD_RATE_LIMIT: '1000000',
    ...options.env,
  };
  const env = Object.fromEntries(Object.entries(settings).filter((e): e is [string, string] => e[1] !== undefined));
  const config = loadConfig(env);
  const clock = options.clock ?? new TestClock();
  const { createApp } = await import('../../apps/api/src/create-app');
  const app = await createApp({ config, clock, module: options.module });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let closed = false;
  return {
    app,
    baseUrl,
    db,
    dataDir,
    clock,
    env,
    api: createApiClient(baseUrl),
    as: (token: string) => createApiClient(baseUrl, { token: () => token }),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      if (!options.db) await db.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
