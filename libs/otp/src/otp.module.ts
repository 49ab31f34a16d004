import { Module } from '@nestjs/common';
import { OtpHousekeeping } from './application/otp-housekeeping';
import { OneTimeCodes, OneTimeTokens } from './domain/ports';
import { PgOneTimeCodes } from './infrastructure/pg-one-time-codes';
import { PgOneTimeTokens } from './infrastructure/pg-one-time-tokens';

/** One-time codes (issue, verify, attempt limits) and single-use tokens. The flows on top live in auth. */
@Module({
  providers: [{ provide: OneTimeCodes, useClass: PgOneTimeCodes }, { provide: OneTimeTokens, useClass: PgOneTimeTokens }, OtpHousekeeping],
  exports: [OneTimeCodes, OneTimeTokens],
})
export class OtpModule {}
