import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core';
import { buildDataSourceOptions, DatabaseServer } from '@app/persistence';
import { SCHEMA } from '../../api/src/schema';

/** Opens the service's database for a CLI command: `DATABASE_URL`, or the embedded one under DATA_DIR. */
export async function withDataSource<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const { database } = loadConfig();
  const server = new DatabaseServer(database);
  const dataSource = new DataSource(buildDataSourceOptions({ ...database, poolSize: 2 }, await server.url(), SCHEMA));
  try {
    await dataSource.initialize();
    return await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await server.stop();
  }
}
