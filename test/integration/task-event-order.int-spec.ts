import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/persistence';
import { PgTaskEventLog } from '@app/tasks/infrastructure/pg-task-event-log';
import { untilLockWaiters } from '../support/eventually';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';

/**
 * A client resumes from the newest event id it saw, so ids must become visible in order: a lower id
 * committing after a higher one would be skipped. Appends serialise until their transaction ends.
 */
describe('task event ids commit in order', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let uow: UnitOfWork;
  let log: PgTaskEventLog;
  const owner = '00000000-0000-4000-8000-000000000001';

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url);
    uow = new UnitOfWork(ds);
    log = new PgTaskEventLog(uow);
    await ds.query(`INSERT INTO users (id, username, status) VALUES ($1, 'event_owner', 'active')`, [owner]);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const event = (title: string) => ({
    taskId: '00000000-0000-4000-8000-0000000000aa',
    type: 'task.created' as const,
    actorId: owner,
    changes: [],
    audience: [owner],
    task: {
      id: '00000000-0000-4000-8000-0000000000aa',
      title,
      description: null,
      status: 'todo' as const,
      priority: 'medium' as const,
      dueAt: null,
      ownerId: owner,
      assigneeId: null,
      version: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    },
  });

  it('a second append waits until the first transaction has committed', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const firstAppended = new Promise<void>((r) => (appended = r));
    const first = uow.run(async () => {
      await log.append(event('first')).finally(appended);
      await held;
      order.push('first commits');
    });
    await firstAppended;
    const second = uow.run(async () => {
      await log.append(event('second'));
      order.push('second appended');
    });
    // The second append is blocked on the first's lock (not merely slow): nothing has happened yet.
    await untilLockWaiters(db.url, 1);
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first commits', 'second appended']);
    const rows: { title: string }[] = await ds.query(`SELECT task->>'title' AS title FROM task_events ORDER BY id`);
    expect(rows.map((r) => r.title)).toEqual(['first', 'second']);
  });
});
