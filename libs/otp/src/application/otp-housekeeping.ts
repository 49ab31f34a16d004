import { Injectable } from '@nestjs/common';
import { CleanupService } from '@app/persistence';

/**
 * What codes and tokens leave behind, for the scheduled cleanup job: codes once expired and older
 * than a day (the daily cap counts them until then), tokens once expired or used a day ago.
 */
@Injectable()
export class OtpHousekeeping {
  constructor(cleanup: CleanupService) {
    cleanup.register({ name: 'otp_codes', table: 'otp_codes', where: `expires_at < $1 AND created_at < $1::timestamptz - interval '1 day'` });
    cleanup.register({ name: 'one_time_tokens', table: 'one_time_tokens', where: `expires_at < $1 OR used_at < $1::timestamptz - interval '1 day'` });
  }
}
