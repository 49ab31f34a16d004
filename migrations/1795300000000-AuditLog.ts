import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log: security-relevant events with actor, subject, IP and user agent (no foreign keys: it outlives users). */
export class AuditLog1795300000000 implements MigrationInterface {
  name = 'AuditLog1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" text NOT NULL, "actor_id" uuid, "subject_id" uuid, "ip" text, "user_agent" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_type_at" ON "audit_events"  ("type", "at") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_subject_at" ON "audit_events"  ("subject_id", "at") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_actor_at" ON "audit_events"  ("actor_id", "at") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_at_id" ON "audit_events"  ("at", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_actor_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_subject_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_type_at"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
