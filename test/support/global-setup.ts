import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readConfig } from '@app/core';
import { buildDataSourceOptions, startEmbeddedPostgres, EmbeddedPostgresError, EmbeddedPostgresHandle } from '@app/persistence';
import { SCHEMA } from '../../apps/api/src/schema';
import { urlForDatabase, withAdminClient } from './test-database';

declare global {
  var __EMBEDDED_PG__: EmbeddedPostgresHandle | undefined;
}

/**
 * One Postgres for the whole run: an embedded cluster in a temporary directory, or the server given by
 * TEST_DATABASE_URL (or DATABASE_URL) — the run creates its own databases there (a migrated template and
 * one per test file) and drops them at the end; the database named in the URL is left alone.
 */
export default async function globalSetup(): Promise<void> {
  // Both Postgres projects (integration, e2e) name this setup; the first one to run sets up for both.
  if (process.env.TEST_PG_SERVER_URL) return;
  process.env.NODE_ENV = 'test';
  let serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (serverUrl) process.env.TEST_EXTERNAL_DATABASE = '1';
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'its-test-'));
    const handle = await startEmbeddedPostgres(dir).catch((error: unknown) => {
      if (!(error instanceof EmbeddedPostgresError)) throw error;
      // Something the person running the tests has to fix: say what, without a stack trace.
      process.stderr.write(`\nCannot start the test database. ${error.message}\n`);
      process.exit(1);
    });
    globalThis.__EMBEDDED_PG__ = handle;
    serverUrl = handle.url;
  }
  const template = `tpl_${process.pid}`;
  await withAdminClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${template}"`);
  });
  const db = readConfig({ NODE_ENV: 'test' }).config.database;
  const ds = new DataSource(buildDataSourceOptions({ ...db, poolSize: 2 }, urlForDatabase(serverUrl, template), SCHEMA));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  process.env.TEST_PG_SERVER_URL = serverUrl;
  process.env.TEST_PG_TEMPLATE = template;
}
