import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { authConfig, AuthSettings } from '@app/core';
import { CleanupService } from './cleanup';

export const CLEANUP_JOB = 'cleanup';

/** The metadata entry in which @nestjs/schedule keeps an @Interval's period (`{ timeout }`) on the method. */
function intervalOptionsKey(method: object): unknown {
  return Reflect.getMetadataKeys(method).find((key) => typeof (Reflect.getMetadata(key, method) as { timeout?: unknown } | undefined)?.timeout === 'number');
}

/**
 * The housekeeping job: every `CLEANUP_INTERVAL` seconds, `CleanupService.runOnce` — on one instance
 * at a time (its advisory lock). Scheduled by @nestjs/schedule's `@Interval`; a decorator's argument
 * is fixed before the configuration exists, so the constructor sets the configured period in the
 * decorator's metadata before the scheduler reads it. Provided by the API's root module only: the CLI
 * runs `cleanup` once, on demand.
 */
@Injectable()
export class CleanupJob {
  private readonly logger = new Logger('Cleanup');

  constructor(
    private readonly cleanup: CleanupService,
    @Inject(authConfig.KEY) config: AuthSettings,
  ) {
    // Read when the scheduler mounts the job, after construction.
    Reflect.defineMetadata(intervalOptionsKey(CleanupJob.prototype.run), { timeout: config.cleanupIntervalSeconds * 1000 }, CleanupJob.prototype.run);
  }

  @Interval(CLEANUP_JOB, 600_000)
  async run(): Promise<void> {
    try {
      await this.cleanup.runOnce();
    } catch (error) {
      this.logger.error(`Cleanup failed: ${String(error)}`);
    }
  }
}
