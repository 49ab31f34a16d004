import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks and their event log. Hand-written at the end: the due-date key (a task without a due date
 * sorts as `infinity`), the trigram index behind `q` (pg_trgm is enabled by Init), and the GIN index
 * over an event's audience (for `resume`).
 */
export class Tasks1795500000000 implements MigrationInterface {
  name = 'Tasks1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "tasks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "description" text, "status" text NOT NULL DEFAULT 'todo', "priority" smallint NOT NULL DEFAULT '1', "due_at" TIMESTAMP(3) WITH TIME ZONE, "owner_id" uuid NOT NULL, "assignee_id" uuid, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_tasks_priority" CHECK ("priority" BETWEEN 0 AND 3), CONSTRAINT "CHK_tasks_status" CHECK ("status" IN ('todo', 'in_progress', 'done', 'cancelled')), CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_priority_id" ON "tasks"  ("priority", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_created_id" ON "tasks"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_status" ON "tasks"  ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee" ON "tasks"  ("assignee_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_owner" ON "tasks"  ("owner_id") `);
    await queryRunner.query(`CREATE TABLE "task_events" ("id" BIGSERIAL NOT NULL, "task_id" uuid NOT NULL, "type" text NOT NULL, "actor_id" uuid, "owner_id" uuid NOT NULL, "audience" uuid array NOT NULL, "changes" jsonb NOT NULL, "task" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5ad150da47d65e2346ff40169cd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_task_events_owner" ON "task_events"  ("owner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_task_events_created" ON "task_events"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_task_events_task_id" ON "task_events"  ("task_id", "id") `);
    await queryRunner.query(`ALTER TABLE "tasks" ADD CONSTRAINT "FK_tasks_owner" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tasks" ADD CONSTRAINT "FK_tasks_assignee" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "task_events" ADD CONSTRAINT "FK_task_events_actor" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "task_events" ADD CONSTRAINT "FK_task_events_owner" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Hand-written: expression and GIN indexes that entity decorators cannot express.
    await queryRunner.query(`CREATE INDEX "IDX_tasks_due_id" ON "tasks" ((coalesce("due_at", 'infinity'::timestamptz)), "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_search_trgm" ON "tasks" USING gin (("title" || ' ' || coalesce("description", '')) gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "IDX_task_events_audience" ON "task_events" USING gin ("audience")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_task_events_audience"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_search_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_due_id"`);
    await queryRunner.query(`ALTER TABLE "task_events" DROP CONSTRAINT "FK_task_events_owner"`);
    await queryRunner.query(`ALTER TABLE "task_events" DROP CONSTRAINT "FK_task_events_actor"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP CONSTRAINT "FK_tasks_assignee"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP CONSTRAINT "FK_tasks_owner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_task_events_task_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_task_events_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_task_events_owner"`);
    await queryRunner.query(`DROP TABLE "task_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_owner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_assignee"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_created_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_priority_id"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
  }
}
