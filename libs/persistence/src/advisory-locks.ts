import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Postgres advisory locks, held on one dedicated connection for the duration of `work`. Keys are
 * strings hashed to a bigint by Postgres (`hashtextextended`), so every instance agrees on them.
 */
@Injectable()
export class AdvisoryLocks {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` if the lock is free and returns `{ acquired: true, result }`; otherwise does nothing. */
  async tryLock<T>(key: string, work: () => Promise<T>): Promise<{ acquired: true; result: T } | { acquired: false }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      if (!rows[0]?.locked) return { acquired: false };
      try {
        return { acquired: true, result: await work() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Waits for the lock (at most `timeoutMs`), then runs `work`. */
  async withLock<T>(key: string, work: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SET lock_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
      await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      await runner.query('RESET lock_timeout').catch(() => undefined);
      await runner.release();
    }
  }
}
