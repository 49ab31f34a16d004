import { Injectable } from '@nestjs/common';
import { CleanupService } from '@app/persistence';

/**
 * What authentication leaves behind, for the scheduled cleanup: expired sessions and refresh tokens
 * (revoked and used ones are kept a day so that reuse is still recognised), stale revocations. (The job itself is `CleanupJob`.)
 */
@Injectable()
export class AuthHousekeeping {
  constructor(cleanup: CleanupService) {
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
}
