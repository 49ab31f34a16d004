import { MigrationInterface, QueryRunner } from 'typeorm';

/** Extensions the schema relies on: trigram indexes for text search. */
export class Init1763750000000 implements MigrationInterface {
  name = 'Init1763750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
