import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnvFile, readConfig } from './libs/core/src';
import { buildDataSourceOptions } from './libs/persistence/src';
import { SCHEMA } from './apps/api/src/schema';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:*`), built from the same configuration code
 * as the app. It needs DATABASE_URL; for the embedded database use `npm run cli -- migrate`.
 */
loadEnvFile();
const { database } = readConfig(process.env).config;
if (!database.url) {
  throw new Error('DATABASE_URL is not set. The TypeORM CLI needs a server; for the embedded database use `npm run cli -- migrate …`.');
}

export default new DataSource(buildDataSourceOptions(database, database.url, SCHEMA));
