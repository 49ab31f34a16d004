import { DataSource } from 'typeorm';
import { MetricsService, SystemClock } from '@app/core';
import { AdvisoryLocks, CleanupService, PgRateLimiter, UnitOfWork } from '@app/persistence';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';

/** The shared limiter: GCRA in one upsert against a real Postgres. */
describe('PgRateLimiter', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let cleanup: CleanupService;
  let limiter: PgRateLimiter;
  let sent: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url);
    const uow = new UnitOfWork(ds);
    cleanup = new CleanupService(uow, new AdvisoryLocks(ds), new SystemClock(), new MetricsService());
    limiter = new PgRateLimiter(uow, new SystemClock(), cleanup);
    sent = [];
    const pool = (ds.driver as unknown as { master: { query: (...a: unknown[]) => unknown } }).master;
    const query = pool.query.bind(pool);
    pool.query = (...args: unknown[]) => {
      const q = args[0] as string | { text: string };
      sent.push(typeof q === 'string' ? q : q.text);
      return query(...args);
    };
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const tatOf = async (key: string) => (await ds.query(`SELECT tat FROM rate_limits WHERE key = $1`, [key]))[0]?.tat as Date | undefined;

  it('allows a burst of `limit`, then refuses with the wait for the next slot, refused hits not counted', async () => {
    const answers = [];
    for (let i = 0; i < 25; i++) answers.push(await limiter.hit('burst', 20, 60));
    expect(answers.filter((a) => a.allowed)).toHaveLength(20);
    expect(answers.slice(0, 20).every((a) => a.allowed)).toBe(true);
    expect(answers[0].remaining).toBe(19);
    const refused = answers[20];
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3);
    // Time passes (moved on the row rather than waited for): one slot per 3 s comes back.
    const before = await tatOf('burst');
    await ds.query(`UPDATE rate_limits SET tat = tat - interval '3.5 seconds' WHERE key = 'burst'`);
    expect((await limiter.hit('burst', 20, 60)).allowed).toBe(true);
    expect((await limiter.hit('burst', 20, 60)).allowed).toBe(false);
    expect((await tatOf('burst'))!.getTime()).toBeCloseTo(before!.getTime() - 500, -1);
  });

  it('counts exactly under concurrency (every hit in parallel, from several connections)', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, () => limiter.hit('parallel', 20, 60)));
    expect(answers.filter((a) => a.allowed)).toHaveLength(20);
  });

  it('costs one statement and keeps one row per key, whatever the limit', async () => {
    sent.length = 0;
    for (let i = 0; i < 200; i++) expect((await limiter.hit('huge', 1_000_000, 60)).allowed).toBe(true);
    expect(sent.filter((q) => q.includes('rate_limits'))).toHaveLength(200);
    expect(sent).toHaveLength(200);
    expect(Number((await ds.query(`SELECT count(*) FROM rate_limits WHERE key = 'huge'`))[0].count)).toBe(1);
  });

  it('keeps keys and limits apart', async () => {
    expect((await limiter.hit('one', 1, 60)).allowed).toBe(true);
    expect((await limiter.hit('one', 1, 60))).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect((await limiter.hit('two', 1, 60)).allowed).toBe(true);
  });

  it('leaves expired rows to the cleanup job, which deletes only those', async () => {
    await ds.query(`INSERT INTO rate_limits (key, tat) SELECT 'old-' || n, now() - interval '1 minute' FROM generate_series(1, 30) n`);
    await limiter.hit('live', 5, 60);
    const counts = await cleanup.runOnce();
    expect(counts?.rate_limits).toBeGreaterThanOrEqual(30);
    expect(Number((await ds.query(`SELECT count(*) FROM rate_limits WHERE key LIKE 'old-%'`))[0].count)).toBe(0);
    expect(await tatOf('live')).toBeDefined();
  });
});
