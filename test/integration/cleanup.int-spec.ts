import { DataSource } from 'typeorm';
import { MetricsService, SystemClock } from '@app/core';
import { AdvisoryLocks, CLEANUP_BATCH, CLEANUP_LOCK, CleanupService, UnitOfWork } from '@app/persistence';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';

async function sample(metrics: MetricsService, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('the cleanup job against a real Postgres', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let metrics: MetricsService;
  let cleanup: CleanupService;
  let locks: AdvisoryLocks;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url);
    await ds.query(`CREATE TABLE leftovers (id int PRIMARY KEY, expires_at timestamptz NOT NULL)`);
    metrics = new MetricsService();
    locks = new AdvisoryLocks(ds);
    cleanup = new CleanupService(new UnitOfWork(ds), locks, new SystemClock(), metrics);
    cleanup.register({ name: 'leftovers', table: 'leftovers', where: 'expires_at < $1' });
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('deletes every expired row over several batches, keeps the rest, and reports rows, runs and time', async () => {
    const expired = CLEANUP_BATCH * 2 + 17;
    await ds.query(`INSERT INTO leftovers SELECT n, now() - interval '1 hour' FROM generate_series(1, $1::int) AS n`, [expired]);
    await ds.query(`INSERT INTO leftovers SELECT n, now() + interval '1 hour' FROM generate_series($1::int + 1, $1::int + 50) AS n`, [expired]);

    await expect(cleanup.runOnce()).resolves.toEqual({ leftovers: expired });

    expect(await ds.query(`SELECT count(*)::int AS n, bool_and(expires_at > now()) AS live FROM leftovers`)).toEqual([{ n: 50, live: true }]);
    expect(await sample(metrics, 'cleanup_deleted_rows_total', { task: 'leftovers' })).toBe(expired);
    expect(await sample(metrics, 'cleanup_runs_total', { outcome: 'completed' })).toBe(1);
    const seconds = await sample(metrics, 'cleanup_run_seconds_total');
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
  });

  it('skips the run while another instance holds the lock, and counts no time for it', async () => {
    const secondsBefore = await sample(metrics, 'cleanup_run_seconds_total');
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held = locks.tryLock(CLEANUP_LOCK, async () => {
      entered();
      await new Promise<void>((r) => (release = r));
    });
    await inside;
    await expect(cleanup.runOnce()).resolves.toBeUndefined();
    release();
    await held;
    expect(await sample(metrics, 'cleanup_runs_total', { outcome: 'skipped' })).toBe(1);
    expect(await sample(metrics, 'cleanup_run_seconds_total')).toBe(secondsBefore);
  });
});
