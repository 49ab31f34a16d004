import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { authConfig, AuthSettings } from '@app/core';
import { CleanupService } from '@app/persistence';

/**
 * What authentication leaves behind, for the scheduled cleanup: expired sessions and refresh tokens
 * (revoked and used ones are kept a day so that reuse is still recognised), stale revocations. Schedules the job every `CLEANUP_INTERVAL` seconds.
 */
@Injectable()
export class AuthHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Cleanup');

  constructor(
    private readonly cleanup: CleanupService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {
    cleanup.register({
      name: 'refresh_tokens',
      table: 'refresh_tokens',
      where: `expires_at < $1 OR rotated_at < $1::timestamptz - interval '1 day' OR revoked_at < $1::timestamptz - interval '1 day'`,
    });
    cleanup.register({
      name: 'sessions',
      table: 'sessions',
      where: `expires_at < $1 OR revoked_at < $1::timestamptz - interval '1 day'`,
    });
    cleanup.register({ name: 'revocations', table: 'revocations', where: `expires_at < $1` });
  }

  onApplicationBootstrap(): void {
    const interval = setInterval(() => {
      this.cleanup.runOnce().catch((error: unknown) => this.logger.error(`Cleanup failed: ${String(error)}`));
    }, this.config.cleanupIntervalSeconds * 1000);
    interval.unref();
    this.scheduler.addInterval('cleanup', interval);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', 'cleanup')) this.scheduler.deleteInterval('cleanup');
  }
}
