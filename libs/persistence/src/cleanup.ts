import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { Clock, MetricsService } from '@app/core';
import { AdvisoryLocks } from './advisory-locks';
import { UnitOfWork } from './unit-of-work';

export interface CleanupTask {
  /** Shown in logs and as the `task` label of `cleanup_deleted_rows_total`. */
  name: string;
  table: string;
  /** SQL condition selecting the rows to delete, with `$1` the clock's now (timestamptz), e.g. `expires_at < $1`. */
  where: string;
}

export const CLEANUP_LOCK = 'cleanup-job';
export const CLEANUP_BATCH = 5000;

/**
 * Deletes expired rows in batches of a few thousand (short transactions, no long locks), on one
 * instance at a time (advisory lock). Features register what they leave behind.
 */
@Injectable()
export class CleanupService {
  private readonly logger = new Logger('Cleanup');
  private readonly tasks: CleanupTask[] = [];
  private readonly deleted: Counter<'task'>;
  private readonly runs: Counter<'outcome'>;
  private readonly seconds: Counter;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly locks: AdvisoryLocks,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.deleted = metrics.counter('cleanup_deleted_rows_total', 'Rows deleted by the cleanup job', ['task']);
    this.runs = metrics.counter('cleanup_runs_total', 'Cleanup job runs', ['outcome']);
    this.seconds = metrics.counter('cleanup_run_seconds_total', 'Time spent in completed cleanup runs, in seconds');
  }

  register(task: CleanupTask): void {
    if (!this.tasks.some((t) => t.name === task.name)) this.tasks.push(task);
  }

  /** Runs every task once; `undefined` when another instance holds the lock. */
  async runOnce(): Promise<Record<string, number> | undefined> {
    const started = performance.now();
    const outcome = await this.locks.tryLock(CLEANUP_LOCK, async () => {
      const now = this.clock.now();
      const counts: Record<string, number> = {};
      for (const task of this.tasks) {
        let total = 0;
        for (;;) {
          // Counted by a SELECT: for a bare DELETE the driver answers [rows, affected], not the rows.
          const rows: { n: number }[] = await this.uow.manager.query(
            `WITH deleted AS (DELETE FROM ${task.table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${task.table} WHERE ${task.where} LIMIT ${CLEANUP_BATCH})) RETURNING 1)
             SELECT count(*)::int AS n FROM deleted`,
            [now],
          );
          const deleted = rows[0]?.n ?? 0;
          total += deleted;
          if (deleted < CLEANUP_BATCH) break;
        }
        counts[task.name] = total;
        if (total > 0) this.deleted.inc({ task: task.name }, total);
      }
      return counts;
    });
    if (!outcome.acquired) {
      this.runs.inc({ outcome: 'skipped' });
      return undefined;
    }
    this.seconds.inc((performance.now() - started) / 1000);
    this.runs.inc({ outcome: 'completed' });
    this.logger.log(`Cleanup finished: ${JSON.stringify(outcome.result)}`);
    return outcome.result;
  }
}
