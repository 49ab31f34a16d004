import { Injectable } from '@nestjs/common';
import { CleanupService } from '@app/persistence';

/**
 * What codes and tokens leave behind, for the scheduled cleanup job: codes once expired and older
 * than a day (the daily cap counts them until then), tokens once expired or used a day ago.
 */
@Injectable()
export class OtpHousekeeping {
  constructor(cleanup: CleanupService) {
    cleanup.register({ name: 'otp_codes', table: 'otp_codes', where: `expires_at < now() AND created_at < now() - interval '1 day'` });
    cleanup.register({ name: 'one_time_tokens', table: 'one_time_tokens', where: `expires_at < now() OR used_at < now() - interval '1 day'` });
  }
}
