import { Injectable } from '@nestjs/common';
import { Clock, decisionFrom, gcraRule, RateLimitDecision, RateLimiter } from '@app/core';
import { CleanupService } from './cleanup';
import { UnitOfWork } from './unit-of-work';

/**
 * GCRA (see `@app/core` gcra.ts) in one prepared upsert on `rate_limits`: one row per key holding its
 * theoretical arrival time, read and written under the row lock, so concurrent hits from every
 * instance are counted exactly and the cost is one index probe and one (HOT) row update whatever the
 * limit. Time comes from the clock port (`$4`), like everywhere else. A refused hit
 * leaves the time as it was and is reported through `refused`. Rows whose time has passed hold no
 * state (a fresh row means the same) and are deleted by the cleanup job.
 */
const HIT = `
INSERT INTO rate_limits AS r (key, tat, refused)
VALUES ($1, $4::timestamptz + $2::bigint * interval '1 microsecond', false)
ON CONFLICT (key) DO UPDATE SET
  tat = CASE WHEN greatest(r.tat, $4::timestamptz) + $2::bigint * interval '1 microsecond'
                  > $4::timestamptz + $3::bigint * interval '1 microsecond'
             THEN r.tat
             ELSE greatest(r.tat, $4::timestamptz) + $2::bigint * interval '1 microsecond' END,
  refused = greatest(r.tat, $4::timestamptz) + $2::bigint * interval '1 microsecond'
            > $4::timestamptz + $3::bigint * interval '1 microsecond'
RETURNING refused, (extract(epoch FROM r.tat - $4::timestamptz) * 1000000)::bigint AS ahead_us`;

@Injectable()
export class PgRateLimiter extends RateLimiter {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    cleanup: CleanupService,
  ) {
    super();
    cleanup.register({ name: 'rate_limits', table: 'rate_limits', where: `tat < $1` });
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const rule = gcraRule(limit, windowSeconds);
    const rows = await this.uow.rows<{ refused: boolean; ahead_us: string }>(HIT, [key, rule.intervalUs, rule.windowUs, this.clock.now()], { prepare: true });
    return decisionFrom(rows[0].refused, Number(rows[0].ahead_us), rule);
  }
}
