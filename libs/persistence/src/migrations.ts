import { DataSource, Migration } from 'typeorm';

export const MIGRATIONS_LOCK = 'schema-migrations';

/**
 * Runs pending migrations while holding an advisory lock, so instances starting together apply each
 * migration once and the others wait for the schema to be ready.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATIONS_LOCK]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATIONS_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
