import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Meta, RequestMeta } from '@app/kernel';
import { RefreshCookie, TokenPair, TokenPairDto } from '@app/auth';
import { ApiErrors, Authenticated, Public, RateLimit } from '@app/core';
import { PasskeyRegistration, PasskeySignIn } from '../application/passkeys.use-cases';
import { CredentialJson } from '../domain/passkeys';
import { toFactorDto } from './mfa.controller';
import {
  PasskeyAuthenticationDto,
  PasskeyAuthenticationOptionsDto,
  PasskeyAuthenticationOptionsRequestDto,
  PasskeyCreationOptionsDto,
  RegisteredPasskeyDto,
  RegisterPasskeyDto,
} from './passkeys.dto';

const asCredential = (dto: { clientExtensionResults?: Record<string, unknown> }) => ({ ...dto, clientExtensionResults: dto.clientExtensionResults ?? {} }) as unknown as CredentialJson;

@ApiTags('passkeys')
@Controller('auth/passkeys')
export class PasskeysController {
  constructor(
    private readonly registration: PasskeyRegistration,
    private readonly signIn: PasskeySignIn,
  ) {}

  @Post('registration/options')
  @Authenticated()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Start registering a passkey: creation options for navigator.credentials.create() (challenge remembered for this user, 5 minutes, single use)',
    description: 'A discoverable credential is asked for (it can sign in without a username later); the user’s passkeys are excluded.',
  })
  @ApiOkResponse({ description: 'PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create()', type: PasskeyCreationOptionsDto })
  getPasskeyRegistrationOptions(@CurrentActor() actor: Actor): Promise<Record<string, unknown>> {
    return this.registration.options(actor);
  }

  @Post('registration')
  @Authenticated()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Finish registering a passkey with the browser’s answer; the first factor turns two-factor on and returns 10 recovery codes (shown once)',
    description: 'A bad response (wrong origin or RP, bad attestation), an unknown, used or expired challenge, or a credential already registered: 400 `PASSKEY_INVALID`.',
  })
  @ApiCreatedResponse({ description: 'The new passkey factor, and with the first factor the 10 recovery codes (shown once)', type: RegisteredPasskeyDto })
  @ApiErrors({ code: 'PASSKEY_INVALID', status: 400 })
  async registerPasskey(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Body() body: RegisterPasskeyDto): Promise<RegisteredPasskeyDto> {
    const { factor, recoveryCodes } = await this.registration.register(actor, meta, { credential: asCredential(body.credential), name: body.name });
    return { factor: toFactorDto(factor), recoveryCodes };
  }

  @Post('authentication/options')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('passkey-options')
  @ApiOperation({
    summary: 'Start a passkey sign-in: request options for navigator.credentials.get() and a challengeToken',
    description:
      'Without `mfaToken`: a discoverable-credential (usernameless) sign-in. With the `mfaToken` of a 403 `MFA_REQUIRED`: the second step, offering that user’s passkeys ' +
      '(unknown, expired or used mfaToken: 401 `MFA_TOKEN_INVALID`; no passkey to offer: 400 `MFA_METHOD_NOT_AVAILABLE`).',
  })
  @ApiOkResponse({ description: 'The challengeToken and PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get()', type: PasskeyAuthenticationOptionsDto })
  @ApiErrors('MFA_TOKEN_INVALID', 'MFA_METHOD_NOT_AVAILABLE')
  getPasskeyAuthenticationOptions(@Body() body: PasskeyAuthenticationOptionsRequestDto): Promise<{ challengeToken: string; options: Record<string, unknown> }> {
    return this.signIn.options(body);
  }

  @Post('authentication')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('passkey-sign-in')
  @ApiOperation({
    summary: 'Sign in with a passkey (the browser’s answer and the challengeToken): on its own, or as the second factor of an mfaToken',
    description:
      'Unknown credential, bad signature, wrong origin or RP, reused or expired challenge, or a signature counter that went backwards: 401 `PASSKEY_INVALID`. ' +
      'On its own, a passkey whose authenticator verified the user (UV) is a complete sign-in (amr `hwk`, `mfa`); without UV it is one factor: 403 `MFA_REQUIRED`. ' +
      'As a second factor, a refused passkey costs the mfaToken an attempt and counts as a failed login (429 `LOGIN_LOCKED` once the account locks). Disabled account: 403 `ACCOUNT_DISABLED`.',
  })
  @ApiOkResponse({ description: 'A token pair; the session has started', type: TokenPairDto })
  @ApiErrors('PASSKEY_INVALID', 'MFA_TOKEN_INVALID', 'MFA_REQUIRED', 'ACCOUNT_DISABLED', 'LOGIN_LOCKED', 'UNKNOWN_CLIENT')
  @RefreshCookie('issue')
  signInWithPasskey(@Meta() meta: RequestMeta, @Body() body: PasskeyAuthenticationDto): Promise<TokenPair> {
    return this.signIn.authenticate(meta, { challengeToken: body.challengeToken, credential: asCredential(body.credential), mfaToken: body.mfaToken, clientId: body.clientId });
  }
}
