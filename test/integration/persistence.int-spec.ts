import { DataSource, QueryFailedError } from 'typeorm';
import { MetricsService, readConfig } from '@app/core';
import { AdvisoryLocks, pendingSchemaChanges, QueryCounter, socketDirectoryFor, UnitOfWork } from '@app/persistence';
import { MIGRATIONS } from '../../migrations';
import { untilLockWaiters } from '../support/eventually';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';

describe('persistence against a real Postgres', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url);
    uow = new UnitOfWork(ds);
    await ds.query(`CREATE TABLE probe (id int PRIMARY KEY, label text NOT NULL)`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  beforeEach(() => ds.query(`TRUNCATE probe`));

  describe('unit of work', () => {
    it('commits every write of a run together', async () => {
      await uow.run(async () => {
        await uow.manager.query(`INSERT INTO probe VALUES (1, 'a')`);
        await uow.manager.query(`INSERT INTO probe VALUES (2, 'b')`);
      });
      expect(await ds.query(`SELECT id FROM probe ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it('leaves neither write when the second fails', async () => {
      await expect(
        uow.run(async () => {
          await uow.manager.query(`INSERT INTO probe VALUES (1, 'a')`);
          await uow.manager.query(`INSERT INTO probe VALUES (1, 'duplicate key')`);
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await ds.query(`SELECT count(*)::int AS n FROM probe`)).toEqual([{ n: 0 }]);
    });

    it('makes nested runs join the outer transaction', async () => {
      await expect(
        uow.run(async (outer) => {
          await uow.run(async (inner) => {
            expect(inner).toBe(outer);
            await uow.manager.query(`INSERT INTO probe VALUES (1, 'inner')`);
          });
          throw new Error('outer fails after the inner run returned');
        }),
      ).rejects.toThrow('outer fails');
      expect(await ds.query(`SELECT count(*)::int AS n FROM probe`)).toEqual([{ n: 0 }]);
    });

    it('runs after-commit callbacks only once committed, and never after a rollback', async () => {
      const seen: string[] = [];
      await uow.run(async () => {
        await uow.afterCommit(() => void seen.push('committed'));
        expect(seen).toEqual([]);
      });
      await uow
        .run(async () => {
          await uow.afterCommit(() => void seen.push('rolled back'));
          throw new Error('boom');
        })
        .catch(() => undefined);
      expect(seen).toEqual(['committed']);
    });

    it('reads rows through the transaction inside a run, straight from the pool outside, counting each statement', async () => {
      const metrics = new MetricsService();
      const counted = new UnitOfWork(ds, new QueryCounter(metrics));
      const statements = async () => (await metrics.registry.getSingleMetric('db_queries_total')!.get()).values[0]?.value ?? 0;
      await counted.run(async () => {
        await counted.manager.query(`INSERT INTO probe VALUES (1, 'uncommitted')`);
        // Inside the run: the transaction's own write is visible, and a RETURNING write yields its rows.
        expect(await counted.rows(`SELECT label FROM probe WHERE id = $1`, [1])).toEqual([{ label: 'uncommitted' }]);
        expect(await counted.rows(`UPDATE probe SET label = $2 WHERE id = $1 RETURNING id, label`, [1, 'changed'])).toEqual([{ id: 1, label: 'changed' }]);
        // Another connection does not see it yet.
        expect(await ds.query(`SELECT count(*)::int AS n FROM probe`)).toEqual([{ n: 0 }]);
      });
      const before = await statements();
      expect(await counted.rows(`SELECT id, label FROM probe`)).toEqual([{ id: 1, label: 'changed' }]);
      expect(await counted.rows(`DELETE FROM probe WHERE id = 1 RETURNING id`)).toEqual([{ id: 1 }]);
      expect(await statements()).toBe(before + 2);
      // Errors are TypeORM's, whichever path ran the statement.
      await expect(counted.rows(`SELECT * FROM no_such_table`)).rejects.toBeInstanceOf(QueryFailedError);
      await expect(counted.run(() => counted.rows(`SELECT * FROM no_such_table`))).rejects.toBeInstanceOf(QueryFailedError);
    });

    it('sends a statement with prepare as a named prepared statement, in and outside a transaction, counted and failing alike', async () => {
      const metrics = new MetricsService();
      const counted = new UnitOfWork(ds, new QueryCounter(metrics));
      const statements = async () => (await metrics.registry.getSingleMetric('db_queries_total')!.get()).values[0]?.value ?? 0;
      const text = `SELECT label FROM probe WHERE id = $1`;
      const preparedHere = () =>
        counted.rows<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`, [text]);
      await counted.run(async () => {
        await counted.manager.query(`INSERT INTO probe VALUES (1, 'one'), (2, 'two')`);
        // Inside the run it goes through the transaction's connection: it sees the uncommitted rows,
        // and that connection has prepared it once, however often it ran.
        expect(await counted.rows(text, [1], { prepare: true })).toEqual([{ label: 'one' }]);
        expect(await counted.rows(text, [2], { prepare: true })).toEqual([{ label: 'two' }]);
        expect(await preparedHere()).toEqual([{ n: 1 }]);
        // A write with RETURNING, prepared, in the same transaction.
        expect(await counted.rows(`UPDATE probe SET label = $2 WHERE id = $1 RETURNING label`, [2, 'second'], { prepare: true })).toEqual([
          { label: 'second' },
        ]);
      });
      const before = await statements();
      expect(await counted.rows(text, [2], { prepare: true })).toEqual([{ label: 'second' }]);
      expect(await counted.rows(text, [3], { prepare: true })).toEqual([]);
      expect(await statements()).toBe(before + 2);
      await expect(counted.rows(`SELECT * FROM no_such_table WHERE id = $1`, [1], { prepare: true })).rejects.toBeInstanceOf(QueryFailedError);
      await expect(counted.run(() => counted.rows(`SELECT * FROM no_such_table WHERE id = $1`, [1], { prepare: true }))).rejects.toBeInstanceOf(
        QueryFailedError,
      );
      // A statement that failed to prepare is not taken for prepared: it fails the same way again, and
      // the connection goes on serving others.
      await expect(counted.rows(`SELECT * FROM no_such_table WHERE id = $1`, [1], { prepare: true })).rejects.toBeInstanceOf(QueryFailedError);
      expect(await counted.rows(text, [1], { prepare: true })).toEqual([{ label: 'one' }]);
    });

    it('runs at the level asked for, and sends no SET TRANSACTION for the server default', async () => {
      const sent: string[] = [];
      const logger = { logQuery: (q: string) => void sent.push(q), logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };
      const cfg = { ...readConfig({}).config.database, logQueries: true };
      const logged = await openDataSource(db.url, cfg, logger);
      try {
        const levels = new UnitOfWork(logged);
        const level = () => levels.manager.query(`SELECT current_setting('transaction_isolation') AS level`);
        await levels.run(level); // learns the server's default
        sent.length = 0;
        expect(await levels.run(level)).toEqual([{ level: 'read committed' }]);
        expect(sent.filter((q) => /^(START|SET) TRANSACTION/.test(q))).toEqual(['START TRANSACTION']);
        sent.length = 0;
        expect(await levels.run(level, 'SERIALIZABLE')).toEqual([{ level: 'serializable' }]);
        expect(sent.filter((q) => /^(START|SET) TRANSACTION/.test(q))).toEqual(['START TRANSACTION', 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE']);
      } finally {
        await logged.destroy();
      }
    });

    it('lets work outside the ambient transaction commit on its own', async () => {
      await uow
        .run(async () => {
          await uow.outside(() => uow.manager.query(`INSERT INTO probe VALUES (7, 'kept')`));
          throw new Error('the surrounding work fails');
        })
        .catch(() => undefined);
      expect(await ds.query(`SELECT id FROM probe`)).toEqual([{ id: 7 }]);
    });
  });

  describe('the embedded cluster', () => {
    const external = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);

    (external ? it.skip : it)('is reached through its Unix socket, not loopback TCP', async () => {
      expect(db.url).toMatch(/[?&]host=%2F/);
      expect(await ds.query(`SELECT inet_server_addr() AS address`)).toEqual([{ address: null }]);
    });

    it('keeps its socket in its own directory, unless the path is too long or unsafe to list', () => {
      expect(socketDirectoryFor('/var/lib/app/pg')).toBe('/var/lib/app/pg');
      expect(socketDirectoryFor(`/${'d'.repeat(100)}/pg`)).toBeUndefined();
      expect(socketDirectoryFor('/data/with space/pg')).toBeUndefined();
      expect(socketDirectoryFor('/data/a,b/pg')).toBeUndefined();
    });
  });

  describe('advisory locks', () => {
    it('refuse a lock held by another connection, and grant it once released', async () => {
      const locks = new AdvisoryLocks(ds);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inside!: () => void;
      const entered = new Promise<void>((r) => (inside = r));
      const first = locks.tryLock('job:cleanup', async () => {
        inside();
        await held;
        return 'first';
      });
      await entered;
      await expect(locks.tryLock('job:cleanup', async () => 'second')).resolves.toEqual({ acquired: false });
      await expect(locks.tryLock('job:other', async () => 'other')).resolves.toEqual({ acquired: true, result: 'other' });
      release();
      await expect(first).resolves.toEqual({ acquired: true, result: 'first' });
      await expect(locks.tryLock('job:cleanup', async () => 'third')).resolves.toEqual({ acquired: true, result: 'third' });
    });

    it('withLock waits for the holder', async () => {
      const locks = new AdvisoryLocks(ds);
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const started = new Promise<void>((r) => (entered = r));
      const a = locks.withLock('k', async () => {
        order.push('a-start');
        entered();
        await held;
        order.push('a-end');
      });
      await started;
      const b = locks.withLock('k', async () => void order.push('b'));
      await untilLockWaiters(db.url, 1);
      expect(order).toEqual(['a-start']);
      release();
      await Promise.all([a, b]);
      expect(order).toEqual(['a-start', 'a-end', 'b']);
    });
  });
});

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    ds = await openDataSource(db.url);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('go up, all the way down, and up again', async () => {
    const count = MIGRATIONS.length;
    expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(count);
    for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: 0 }]);
    const tables: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables[0].n).toBe(0);
    expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(count);
  });

  it('agree with the entities: generating a migration yields nothing', async () => {
    expect(await ds.showMigrations()).toBe(false);
    const { up } = await pendingSchemaChanges(ds);
    expect(up).toEqual([]);
  });
});
