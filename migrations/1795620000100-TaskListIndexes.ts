import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Own or assigned" task lists read one index per side, in the list's order: (owner, sort key, id)
 * and (assignee, sort key, id) for each sort key (`createdAt`, `dueAt`, `priority`). They replace the
 * single-column owner and assignee indexes (a prefix of the new ones serves the same lookups,
 * the foreign keys' cascades included).
 */
export class TaskListIndexes1795620000100 implements MigrationInterface {
  name = 'TaskListIndexes1795620000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_tasks_owner_created_id" ON "tasks" ("owner_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_owner_due_id" ON "tasks" ("owner_id", (coalesce("due_at", 'infinity'::timestamptz)), "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_owner_priority_id" ON "tasks" ("owner_id", "priority", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee_created_id" ON "tasks" ("assignee_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee_due_id" ON "tasks" ("assignee_id", (coalesce("due_at", 'infinity'::timestamptz)), "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee_priority_id" ON "tasks" ("assignee_id", "priority", "id")`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_owner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_assignee"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee" ON "tasks" ("assignee_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_owner" ON "tasks" ("owner_id")`);
    for (const side of ['owner', 'assignee']) {
      for (const key of ['created', 'due', 'priority']) await queryRunner.query(`DROP INDEX "public"."IDX_tasks_${side}_${key}_id"`);
    }
  }
}
