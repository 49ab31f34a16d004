import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit state (GCRA): one row per key with its theoretical arrival time, shared by every
 * instance. UNLOGGED: written on every counted request, and worth no WAL — after a crash the table
 * is empty, which only means every key starts with a full budget. No index on `tat` (it changes on
 * every hit; without an index there the update stays HOT); the cleanup job's scan is cheap. Fill
 * factor 70 leaves room on each page for those updates.
 */
export class RateLimits1795633370000 implements MigrationInterface {
  name = 'RateLimits1795633370000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limits" ("key" text NOT NULL, "tat" TIMESTAMP WITH TIME ZONE NOT NULL, "refused" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_rate_limits" PRIMARY KEY ("key")) WITH (fillfactor = 70)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limits"`);
  }
}
