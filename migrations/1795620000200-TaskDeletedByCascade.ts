import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks removed without the task use cases — by the cascade of a deleted owner's account, or by
 * hand — still get their `task.deleted` event. A deferred row trigger runs at commit, after every
 * row lock of the transaction has been taken (as the app appends its events last), and appends the
 * event unless the app already did: the same advisory lock keeps event ids committing in order, and
 * the same NOTIFY (carrying the id; the feed reads the event back) reaches every instance.
 *
 * Such an event has no actor, and no `owner_id` when the owner's account is gone (the column's
 * foreign key takes a deleted owner's history with it; the deletion event itself must stay for
 * the others in its audience), hence the column becomes nullable.
 */
export class TaskDeletedByCascade1795620000200 implements MigrationInterface {
  name = 'TaskDeletedByCascade1795620000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_events" ALTER COLUMN "owner_id" DROP NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION task_deleted_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event_id bigint;
        iso CONSTANT text := 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
      BEGIN
        IF EXISTS (SELECT 1 FROM task_events WHERE task_id = OLD.id AND type = 'task.deleted') THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('task_events', 0));
        INSERT INTO task_events (task_id, type, actor_id, owner_id, audience, changes, task)
        VALUES (
          OLD.id, 'task.deleted', NULL,
          (SELECT u.id FROM users u WHERE u.id = OLD.owner_id),
          ARRAY(SELECT DISTINCT a FROM unnest(ARRAY[OLD.owner_id, OLD.assignee_id]) a WHERE a IS NOT NULL),
          '[]'::jsonb,
          jsonb_build_object(
            'id', OLD.id, 'title', OLD.title, 'description', OLD.description, 'status', OLD.status,
            'priority', (ARRAY['low', 'medium', 'high', 'urgent'])[OLD.priority + 1],
            'dueAt', to_char(OLD.due_at AT TIME ZONE 'UTC', iso),
            'ownerId', OLD.owner_id, 'assigneeId', OLD.assignee_id, 'version', OLD.version,
            'createdAt', to_char(OLD.created_at AT TIME ZONE 'UTC', iso),
            'updatedAt', to_char(OLD.updated_at AT TIME ZONE 'UTC', iso)
          )
        )
        RETURNING id INTO event_id;
        PERFORM pg_notify('task_events', json_build_object('id', event_id::text)::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER "task_deleted_event" AFTER DELETE ON "tasks" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION task_deleted_event()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "task_deleted_event" ON "tasks"`);
    await queryRunner.query(`DROP FUNCTION task_deleted_event()`);
    await queryRunner.query(`DELETE FROM "task_events" WHERE "owner_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "task_events" ALTER COLUMN "owner_id" SET NOT NULL`);
  }
}
