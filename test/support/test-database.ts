import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { DatabaseConfig, readConfig } from '@app/core';
import { buildDataSourceOptions } from '@app/persistence';
import { SCHEMA } from '../../apps/api/src/schema';

/** Set by the global setup: a server URL (any database) and the migrated template's name. */
export interface TestDatabaseEnv {
  serverUrl: string;
  template: string;
}

export function testDatabaseEnv(): TestDatabaseEnv {
  const serverUrl = process.env.TEST_PG_SERVER_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (!serverUrl || !template) throw new Error('The test database is not set up: run the tests with jest (global setup)');
  return { serverUrl, template };
}

export function urlForDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template (fast: a file copy). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const { serverUrl, template } = testDatabaseEnv();
  const name = `${template}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(serverUrl, (c) => c.query(options.empty ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: urlForDatabase(serverUrl, name),
    drop: () => withAdminClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A TypeORM data source on a test database with the app's schema (default database settings unless given). */
export function openDataSource(url: string, database: DatabaseConfig = readConfig({}).config.database, logger?: TypeOrmLogger): Promise<DataSource> {
  return new DataSource(buildDataSourceOptions(database, url, SCHEMA, logger)).initialize();
}

/** Runs one statement against a test app's database (to arrange state or to inspect what is left behind). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function sql<T = any>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
