import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset paging on every list: roles and applications by (created_at, id), a user's sessions by
 * (user_id, created_at, id) — the latter also serves every lookup the (user_id) index did.
 */
export class ListPaging1795986955185 implements MigrationInterface {
  name = 'ListPaging1795986955185';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_sessions_user"`);
    await queryRunner.query(`CREATE INDEX "IDX_sessions_user_created_id" ON "sessions"  ("user_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_roles_created_id" ON "roles"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_applications_created_id" ON "applications"  ("created_at", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_created_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_roles_created_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_sessions_user_created_id"`);
    await queryRunner.query(`CREATE INDEX "IDX_sessions_user" ON "sessions"  ("user_id") `);
  }
}
