import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Meta, PageQueryDto, RequestMeta } from '@app/kernel';
import { RefreshCookie, TokenPair, TokenPairDto } from '@app/auth';
import { ApiErrors, Authenticated, Public, RateLimit } from '@app/core';
import { FactorsUseCases } from '../application/factors.use-cases';
import { MfaVerifyUseCase } from '../application/mfa-sign-in';
import { Factor } from '../domain/factors';
import {
  ConfirmedFactorDto,
  EnrolTotpDto,
  FactorDto,
  FactorListDto,
  MfaVerifyDto,
  PasswordConfirmationDto,
  RecoveryCodesDto,
  TotpCodeDto,
  TotpEnrolmentDto,
} from './mfa.dto';
import { RenameFactorDto } from './passkeys.dto';

export const toFactorDto = (f: Factor): FactorDto => ({
  id: f.id,
  type: f.type,
  name: f.name,
  createdAt: f.createdAt.toISOString(),
  lastUsedAt: f.lastUsedAt?.toISOString() ?? null,
});

@ApiTags('mfa')
@Controller('auth/mfa')
export class MfaController {
  constructor(
    private readonly factors: FactorsUseCases,
    private readonly verifier: MfaVerifyUseCase,
  ) {}

  @Post('verify')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('mfa-verify')
  @ApiOperation({
    summary: 'Finish a sign-in with a second factor: the mfaToken of the 403 MFA_REQUIRED answer and a code; starts the session',
    description:
      'Wrong code: 400 `MFA_CODE_INVALID` with `attemptsLeft` (each also counts as a failed login for the account lockout); ' +
      'unknown, expired, used or dead mfaToken: 401 `MFA_TOKEN_INVALID`; locked account: 429 `LOGIN_LOCKED`.',
  })
  @ApiOkResponse({ description: 'A token pair; the session has started', type: TokenPairDto })
  @ApiErrors('MFA_CODE_INVALID', 'MFA_TOKEN_INVALID', 'MFA_METHOD_NOT_AVAILABLE', 'LOGIN_LOCKED', 'ACCOUNT_DISABLED')
  @RefreshCookie('issue')
  verifyMfa(@Meta() meta: RequestMeta, @Body() body: MfaVerifyDto): Promise<TokenPair> {
    return this.verifier.execute(meta, body);
  }

  @Get('factors')
  @Authenticated()
  @ApiOperation({ summary: 'The user’s confirmed second factors, and how many recovery codes are left' })
  @ApiOkResponse({ description: 'The confirmed factors, and how many recovery codes are left', type: FactorListDto })
  @ApiErrors('INVALID_CURSOR')
  async listMfaFactors(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<FactorListDto> {
    const page = await this.factors.list(actor, query);
    return { items: page.items.map(toFactorDto), nextCursor: page.nextCursor, recoveryCodesLeft: page.recoveryCodesLeft };
  }

  @Post('totp')
  @Authenticated()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Start adding an authenticator app: a new secret, its otpauth URL and QR code (pending until confirmed)',
    description: 'Needs the current password (400 `INVALID_CURRENT_PASSWORD`); an account without a password needs a sign-in within the last 5 minutes (403 `REAUTHENTICATION_REQUIRED`).',
  })
  @ApiCreatedResponse({ description: 'The pending factor: its secret, otpauth URL and QR code', type: TotpEnrolmentDto })
  @ApiErrors('INVALID_CURRENT_PASSWORD', 'REAUTHENTICATION_REQUIRED', 'LOGIN_LOCKED')
  enrolTotp(@CurrentActor() actor: Actor, @Body() body: EnrolTotpDto): Promise<TotpEnrolmentDto> {
    return this.factors.enrolTotp(actor, body);
  }

  @Post('totp/:factorId/confirm')
  @Authenticated()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Confirm an authenticator app with a code it shows; the first factor turns two-factor on and returns 10 recovery codes (shown once)',
  })
  @ApiOkResponse({ description: 'The confirmed factor, and with the first factor the 10 recovery codes (shown once)', type: ConfirmedFactorDto })
  @ApiErrors('MFA_CODE_INVALID', 'FACTOR_NOT_FOUND')
  async confirmTotp(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Param('factorId', new ParseUUIDPipe()) factorId: string, @Body() body: TotpCodeDto): Promise<ConfirmedFactorDto> {
    const { factor, recoveryCodes } = await this.factors.confirmTotp(actor, meta, factorId, body.code);
    return { factor: toFactorDto(factor), recoveryCodes };
  }

  @Patch('factors/:id')
  @Authenticated()
  @ApiOperation({ summary: 'Rename one of the user’s factors (an authenticator app or a passkey)' })
  @ApiOkResponse({ description: 'The renamed factor', type: FactorDto })
  @ApiErrors('FACTOR_NOT_FOUND')
  async renameMfaFactor(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RenameFactorDto): Promise<FactorDto> {
    return toFactorDto(await this.factors.rename(actor, id, body.name));
  }

  @Delete('factors/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a factor (password, or a recent sign-in); removing the last one turns two-factor off' })
  @ApiBody({ type: PasswordConfirmationDto, required: false })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiErrors('INVALID_CURRENT_PASSWORD', 'REAUTHENTICATION_REQUIRED', 'LOGIN_LOCKED', 'FACTOR_NOT_FOUND')
  async removeMfaFactor(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: PasswordConfirmationDto): Promise<void> {
    await this.factors.remove(actor, meta, id, body?.password);
  }

  @Post('recovery-codes')
  @Authenticated()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '10 new recovery codes (password, or a recent sign-in); the old ones stop working' })
  @ApiOkResponse({ description: 'The 10 new recovery codes, shown once', type: RecoveryCodesDto })
  @ApiErrors('INVALID_CURRENT_PASSWORD', 'REAUTHENTICATION_REQUIRED', 'LOGIN_LOCKED', 'MFA_NOT_ENABLED')
  async regenerateRecoveryCodes(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Body() body: PasswordConfirmationDto): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.factors.regenerateRecoveryCodes(actor, meta, body.password) };
  }
}

/** The administrator's reset for a lost device. */
@ApiTags('users')
@Controller('users/:id/mfa')
export class UserMfaController {
  constructor(private readonly factors: FactorsUseCases) {}

  @Delete()
  @Authenticated({ permission: 'users:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove every second factor and recovery code of a user (lost device); two-factor is off' })
  @ApiResponse({ status: 204, description: 'Two-factor authentication is off for the user' })
  @ApiErrors('USER_NOT_FOUND', 'OUTSIDE_APPLICATION')
  async resetUserMfa(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.factors.resetByAdmin(actor, meta, id);
  }
}
