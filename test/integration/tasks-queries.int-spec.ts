import { DataSource } from 'typeorm';
import type { Actor } from '@app/access';
import { UnitOfWork } from '@app/persistence';
import { TaskQuery, TASK_SORT_KEYS } from '@app/tasks';
import { TypeormTaskRepository } from '@app/tasks/infrastructure/typeorm-task.repository';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';
import { testActor } from '../support/actors';


const actor = testActor;

/**
 * Every list request is one query, and every filter and sort is served by an index: the plans of
 * the repository's own SQL, on a table big enough for the planner to care (40 000 tasks, 400 users).
 */
describe('task list queries use indexes', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let someone: string;
  const statements: string[] = [];
  let plans: string[] = [];

  /** A unit of work whose statements are EXPLAINed instead of run (the plan is what is under test). */
  const explaining = {
    rows: async (sql: string, params: unknown[]) => {
      statements.push(sql);
      const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN ${sql}`, params);
      plans = rows.map((r) => r['QUERY PLAN']);
      return [];
    },
  } as unknown as UnitOfWork;
  const repo = () => new TypeormTaskRepository(explaining);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url);
    await ds.query(`INSERT INTO users (username, status) SELECT 'plan_user_' || g, 'active' FROM generate_series(1, 400) g`);
    await ds.query(`
      WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users)
      INSERT INTO tasks (title, description, status, priority, due_at, owner_id, assignee_id, created_at)
      SELECT 'Task ' || g || ' ' || md5(g::text), 'notes ' || md5((g * 7)::text),
             (ARRAY['todo', 'in_progress', 'done', 'cancelled'])[1 + g % 4], g % 4,
             CASE WHEN g % 3 = 0 THEN NULL ELSE now() + (g % 700) * interval '1 hour' END,
             u.ids[1 + g % 400], CASE WHEN g % 50 = 0 THEN u.ids[1 + (g + 1) % 400] END,
             now() - g * interval '1 second'
      FROM generate_series(1, 40000) g, u`);
    // Statistics from every row, not a sample: with sampled ones the estimate for "own or assigned"
    // varied from run to run and, now and then, tipped the plan to a filtered scan of the date index.
    await ds.query('SET default_statistics_target = 10000; ANALYZE');
    someone = (await ds.query(`SELECT id FROM users LIMIT 1`))[0].id;
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const base = (over: Partial<TaskQuery> = {}): TaskQuery => ({ sort: { key: 'createdAt', descending: true }, limit: 21, ...over });
  const planOf = async (who: Actor, query: TaskQuery) => {
    statements.length = 0;
    await repo().list(who, query);
    expect(statements).toHaveLength(1);
    return plans.join('\n');
  };

  const admin = actor('00000000-0000-4000-8000-000000000001', ['tasks:read:any']);

  it.each(TASK_SORT_KEYS.flatMap((key) => [false, true].map((descending) => ({ key, descending }))))('sort %o reads an index in order, no sort step', async (sort) => {
    const plan = await planOf(admin, base({ sort }));
    expect(plan).toMatch(/Index Scan/);
    expect(plan).not.toMatch(/Seq Scan|Sort/);
    const after = sort.key === 'priority' ? { value: 2, id: someone } : { value: new Date().toISOString(), id: someone };
    const next = await planOf(admin, base({ sort, after }));
    expect(next).toMatch(/Index (Only )?Scan/);
    expect(next).not.toMatch(/Seq Scan/);
  });

  it('a user’s list reads their own and assigned tasks through the owner and assignee indexes', async () => {
    const plan = await planOf(actor(someone, ['tasks:read:own']), base());
    expect(plan).toMatch(/IDX_tasks_owner/);
    expect(plan).toMatch(/IDX_tasks_assignee/);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('filters never scan the whole table', async () => {
    const filters: Partial<TaskQuery>[] = [
      { status: 'done' },
      { ownerId: someone },
      { assigneeId: someone },
      { q: 'f00d' },
      { dueBefore: new Date(Date.now() + 3 * 3600_000) },
      { dueAfter: new Date(Date.now() + 690 * 3600_000) },
    ];
    for (const filter of filters) {
      const plan = await planOf(admin, base(filter));
      expect({ filter, plan }).toEqual({ filter, plan: expect.not.stringMatching(/Seq Scan/) });
    }
    expect(await planOf(admin, base({ q: 'f00d' }))).toMatch(/IDX_tasks_search_trgm|IDX_tasks_created_id/);
  });
});
