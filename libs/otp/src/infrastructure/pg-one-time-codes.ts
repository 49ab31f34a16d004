import { Inject, Injectable } from '@nestjs/common';
import { Clock, otpConfig, OtpSettings, ServerSecret } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { hashOtp, newOtpCode, OtpDailyLimitError, OtpExpiredError, OtpInvalidError, OtpLockedError, OtpResendTooSoonError, OtpTarget, sameHash } from '../domain/otp';
import { CodeCheck, IssuedCode, OneTimeCodes } from '../domain/ports';
import { OtpCodeEntity } from './entities';

const DAY_SECONDS = 86_400;
const RECOVERY_PURPOSE = 'reset';

/**
 * One-time codes in Postgres. Requests for one destination serialise on a transaction-scoped advisory
 * lock, so the cooldown and the daily cap hold under concurrency; checks lock the live row, so
 * parallel guesses cannot exceed `OTP_MAX_ATTEMPTS`. The daily cap (`OTP_DAILY_LIMIT`) is two
 * budgets per destination: recovery codes, counted per requester (client address), and every other
 * purpose together — so that unauthenticated requests cannot silence someone else's recovery.
 */
@Injectable()
export class PgOneTimeCodes extends OneTimeCodes {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly secret: ServerSecret,
    private readonly clock: Clock,
    @Inject(otpConfig.KEY) private readonly config: OtpSettings,
  ) {
    super();
  }

  private get repo() {
    return this.uow.repository(OtpCodeEntity);
  }

  issue(target: OtpTarget, options: { requester?: string | null } = {}): Promise<IssuedCode> {
    const requester = target.purpose === RECOVERY_PURPOSE ? (options.requester ?? null) : null;
    return this.uow.run(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`otp:${target.destination}`]);
      // Read after the lock: a request that queued behind another one sees its code as just issued.
      const now = this.clock.now();
      // The day's budget of this destination: recovery (`reset`) apart from every other purpose, and
      // per requester, so that neither other purposes nor someone else's requests can spend it.
      const rows: { last_age: number | null; today: number; oldest_age: number | null }[] = await manager.query(
        `SELECT
           (SELECT extract(epoch FROM $6::timestamptz - max(created_at)) FROM otp_codes
             WHERE destination = $1 AND channel = $2 AND purpose = $3) AS last_age,
           count(*)::int AS today,
           extract(epoch FROM $6::timestamptz - min(created_at)) AS oldest_age
         FROM otp_codes
         WHERE destination = $1 AND created_at > $6::timestamptz - interval '1 day'
           AND (purpose = $5) = ($3 = $5)
           AND ($3 <> $5 OR requester IS NOT DISTINCT FROM $4)`,
        [target.destination, target.channel, target.purpose, requester, RECOVERY_PURPOSE, now],
      );
      const stats = rows[0];
      const lastAge = stats?.last_age === null || stats?.last_age === undefined ? null : Number(stats.last_age);
      if (lastAge !== null && lastAge < this.config.resendSeconds) {
        throw new OtpResendTooSoonError(Math.max(1, Math.ceil(this.config.resendSeconds - lastAge)));
      }
      if ((stats?.today ?? 0) >= this.config.dailyLimit) {
        throw new OtpDailyLimitError(Math.max(1, Math.ceil(DAY_SECONDS - Number(stats?.oldest_age ?? 0))));
      }
      const fixed = this.config.testDestinations[target.destination];
      const code = fixed ?? newOtpCode();
      await manager.query(
        `INSERT INTO otp_codes (channel, destination, purpose, code_hash, created_at, expires_at, requester)
         VALUES ($1, $2, $3, $4, $7, $7::timestamptz + make_interval(secs => $5), $6)`,
        [target.channel, target.destination, target.purpose, hashOtp(this.secret.key('otp-hash'), target, code), this.config.ttlSeconds, requester, now],
      );
      return { code, expiresIn: this.config.ttlSeconds, resendAfter: this.config.resendSeconds, testDestination: fixed !== undefined };
    });
  }

  check(target: OtpTarget, code: string): Promise<CodeCheck> {
    return this.uow.run(async () => {
      const live = await this.repo
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.destination = :destination AND o.channel = :channel AND o.purpose = :purpose', target)
        .orderBy('o.created_at', 'DESC')
        .limit(1)
        .getOne();
      if (!live || live.consumedAt) return { ok: false, error: new OtpInvalidError() };
      const now = this.clock.now();
      const nowMs = now.getTime();
      if (live.expiresAt.getTime() <= nowMs) return { ok: false, error: new OtpExpiredError() };
      const max = this.config.maxAttempts;
      if (live.failedAttempts >= max) {
        return { ok: false, error: new OtpLockedError(Math.max(1, Math.ceil((live.expiresAt.getTime() - nowMs) / 1000))) };
      }
      if (!/^\d{6}$/.test(code) || !sameHash(live.codeHash, hashOtp(this.secret.key('otp-hash'), target, code))) {
        await this.repo.update({ id: live.id }, { failedAttempts: () => 'failed_attempts + 1' });
        return { ok: false, error: new OtpInvalidError(max - live.failedAttempts - 1) };
      }
      await this.repo.update({ id: live.id }, { consumedAt: now });
      return { ok: true };
    });
  }

  async invalidate(targets: OtpTarget[]): Promise<void> {
    const now = this.clock.now();
    for (const t of targets) {
      await this.uow.manager.query(
        `UPDATE otp_codes SET consumed_at = $4
          WHERE destination = $1 AND channel = $2 AND purpose = $3 AND consumed_at IS NULL`,
        [t.destination, t.channel, t.purpose, now],
      );
    }
  }
}
