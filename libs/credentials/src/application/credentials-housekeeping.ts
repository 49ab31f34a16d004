import { Injectable } from '@nestjs/common';
import { CleanupService } from '@app/persistence';

/**
 * What credentials leave behind, for the scheduled cleanup (which AuthHousekeeping schedules): old
 * login failure counters, expired mfaTokens (used ones too, once expired), expired WebAuthn
 * challenges, and enrolments never
 * confirmed within a day.
 */
@Injectable()
export class CredentialsHousekeeping {
  constructor(cleanup: CleanupService) {
    cleanup.register({
      name: 'login_failures',
      table: 'login_failures',
      where: `last_failed_at < $1::timestamptz - interval '1 day' AND (locked_until IS NULL OR locked_until < $1)`,
    });
    cleanup.register({ name: 'mfa_challenges', table: 'mfa_challenges', where: `expires_at < $1` });
    cleanup.register({ name: 'webauthn_challenges', table: 'webauthn_challenges', where: `expires_at < $1` });
    cleanup.register({ name: 'mfa_pending_factors', table: 'mfa_factors', where: `confirmed_at IS NULL AND created_at < $1::timestamptz - interval '1 day'` });
  }
}
