import { DataSource } from 'typeorm';
import { buildDataSourceOptions, DatabaseServer } from '@app/persistence';
import { SCHEMA } from '../../api/src/schema';
import type { CliContext } from './context';

/** Opens the service's database for a CLI command: `DATABASE_URL`, or the embedded one under DATA_DIR. */
export async function withDataSource<T>(context: CliContext, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const { database } = context.config();
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
