import { Inject, Injectable } from '@nestjs/common';
import { authConfig, AuthSettings, Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { LoginIdentifier, UserRepository } from '@app/users';
import { LockState, LoginLookup, LoginThrottle, throttleKeys } from '../domain/ports';

/**
 * Consecutive failures per account in Postgres (one atomic upsert per failure), so every instance and
 * every login endpoint count together. At `LOGIN_MAX_FAILURES` the key locks for
 * `LOGIN_LOCKOUT_SECONDS`, doubling with each further failure after a lock, up to an hour.
 */
@Injectable()
export class PgLoginThrottle extends LoginThrottle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
    private readonly users: UserRepository,
  ) {
    super();
  }

  /** The account (through the users lib's port), then the failures of its key, or of the login name's key when there is no account. */
  async lookup(login: LoginIdentifier): Promise<LoginLookup> {
    const user = await this.users.findByLogin(login);
    const key = user ? throttleKeys.account(user.id) : throttleKeys.loginName(login);
    const rows = await this.uow.rows<{ seconds: number | null; failures: number }>(
      `SELECT f.failures,
              CASE WHEN f.locked_until > $2::timestamptz
                   THEN ceil(extract(epoch FROM (f.locked_until - $2::timestamptz)))::int END AS seconds
         FROM login_failures f WHERE f.key = $1`,
      [key, this.clock.now()],
      { prepare: true },
    );
    return { user, key, lockedFor: rows[0]?.seconds ?? 0, failures: rows[0]?.failures ?? 0 };
  }

  async lockedFor(key: string): Promise<number> {
    const rows = await this.uow.rows<{ seconds: number | null }>(
      `SELECT ceil(extract(epoch FROM (locked_until - $2::timestamptz)))::int AS seconds
         FROM login_failures WHERE key = $1 AND locked_until > $2::timestamptz`,
      [key, this.clock.now()],
      { prepare: true },
    );
    return rows[0]?.seconds ?? 0;
  }

  async recordFailure(key: string): Promise<LockState | null> {
    const max = this.config.loginMaxFailures;
    const rows = await this.uow.rows<{ failures: number; seconds: number | null }>(
      `INSERT INTO login_failures AS f (key, failures, locked_until, last_failed_at)
       VALUES ($1, 1, CASE WHEN 1 >= $2 THEN $5::timestamptz + make_interval(secs => $3) END, $5::timestamptz)
       ON CONFLICT (key) DO UPDATE SET
         failures = f.failures + 1,
         last_failed_at = $5::timestamptz,
         locked_until = CASE WHEN f.failures + 1 >= $2
           THEN $5::timestamptz + make_interval(secs => least($4, $3 * power(2, f.failures + 1 - $2)))
           ELSE f.locked_until END
       RETURNING failures, ceil(extract(epoch FROM (locked_until - $5::timestamptz)))::int AS seconds`,
      [key, max, this.config.lockoutSeconds, 3600, this.clock.now()],
      { prepare: true },
    );
    const row = rows[0];
    return row && row.failures >= max && row.seconds !== null && row.seconds > 0 ? { lockedForSeconds: row.seconds } : null;
  }

  async reset(key: string): Promise<void> {
    await this.uow.manager.query(`DELETE FROM login_failures WHERE key = $1`, [key]);
  }
}
