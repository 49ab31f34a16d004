import { Injectable } from '@nestjs/common';
import { CleanupService } from '@app/persistence';

/**
 * What second factors leave behind, for the scheduled cleanup (which AuthHousekeeping schedules):
 * expired mfaTokens (used ones too, once expired) and enrolments never confirmed within a day.
 */
@Injectable()
export class CredentialsHousekeeping {
  constructor(cleanup: CleanupService) {
    cleanup.register({ name: 'mfa_challenges', table: 'mfa_challenges', where: `expires_at < now()` });
    cleanup.register({ name: 'mfa_pending_factors', table: 'mfa_factors', where: `confirmed_at IS NULL AND created_at < now() - interval '1 day'` });
  }
}
