import { Body, Controller, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { RefreshCookie, RefreshTokensUseCase, TokenPair, TokenPairDto } from '@app/auth';
import { AddressRateLimits, ApiErrors, ApiOAuthErrors, Authenticated, DomainError, OAUTH2_ERROR_FORMAT, Public, RATE_LIMITED, RateLimit } from '@app/core';
import { Actor, CurrentActor, Meta, RequestMeta } from '@app/kernel';
import { toUserResponse } from '@app/users';
import { ChangePasswordUseCase } from '../application/change-password.use-case';
import { LoginUseCase } from '../application/login.use-case';
import { RegisterUseCase } from '../application/register.use-case';
import { MfaRequiredError } from '../domain/errors';
import { ProviderCodeSignIn } from '../application/provider-code-sign-in';
import { ChangePasswordDto, LoginDto, OAuthErrorDto, OAuthTokenDto, RegisterDto, RegisteredDto, TokenRequestDto } from './credentials.dto';

/** Sign-in with a password (JSON and the OAuth2 token endpoint), registration and password change. */
@ApiTags('auth')
@Controller('auth')
export class CredentialsController {
  constructor(
    private readonly registration: RegisterUseCase,
    private readonly logins: LoginUseCase,
    private readonly refresher: RefreshTokensUseCase,
    private readonly passwords: ChangePasswordUseCase,
    private readonly addressLimits: AddressRateLimits,
    private readonly codeSignIn: ProviderCodeSignIn,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @ApiOperation({ summary: 'Create an account' })
  @ApiResponse({ status: 201, description: 'The new account (pending until an email or phone is verified)', type: RegisteredDto })
  @ApiErrors('USERNAME_TAKEN', 'EMAIL_TAKEN', 'PHONE_TAKEN', 'IDENTIFIER_TAKEN', 'PASSWORD_TOO_WEAK', 'USERNAME_LOOKS_LIKE_PHONE', 'PHONE_VERIFICATION_REQUIRED', 'VERIFICATION_TOKEN_INVALID', 'VERIFICATION_TOKEN_EXPIRED')
  async register(@Meta() meta: RequestMeta, @Body() body: RegisterDto): Promise<RegisteredDto> {
    const user = await this.registration.execute(meta, body);
    return { user: toUserResponse(user) };
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('login')
  @ApiOperation({ summary: 'Log in with username, email or phone and a password; starts a session' })
  @ApiOkResponse({ description: 'A token pair; the session has started', type: TokenPairDto })
  @ApiErrors('INVALID_CREDENTIALS', 'ACCOUNT_DISABLED', 'MFA_REQUIRED', 'LOGIN_LOCKED', 'LOGIN_BUSY', 'UNKNOWN_CLIENT')
  @RefreshCookie('issue')
  login(@Meta() meta: RequestMeta, @Body() body: LoginDto): Promise<TokenPair> {
    return this.logins.execute(meta, body);
  }

  @Post('token')
  @Public()
  @RouteConfig(OAUTH2_ERROR_FORMAT)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'OAuth2 token endpoint (RFC 6749): password, refresh_token and authorization_code (PKCE) grants',
    description:
      'Form-encoded. Errors use the RFC 6749 shape `{ error, error_description }`. Used by Swagger UI’s Authorize button. ' +
      '`grant_type=authorization_code` redeems the one-time `code` from a sign-in through an external provider (`GET /auth/providers/{id}/authorize`) with `redirect_uri`, `client_id` and the PKCE `code_verifier`; ' +
      'a wrong verifier, redirect URI or client, or a used or expired code is `invalid_grant`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequestDto })
  @ApiExtraModels(OAuthErrorDto)
  @ApiOkResponse({ description: 'RFC 6749 token response', type: OAuthTokenDto })
  @ApiOAuthErrors(
    { status: 400, error: 'invalid_request', meaning: 'a required field is missing or too long, or the body cannot be read', description: 'username and password are required' },
    { status: 400, error: 'unsupported_grant_type', meaning: 'grant_type is none of password, refresh_token, authorization_code', description: 'Supported grants: password, refresh_token, authorization_code' },
    { status: 400, error: 'invalid_grant', meaning: 'wrong username or password; a refresh token that is invalid, expired, revoked or reused; an authorization code that is unknown, used or expired, or presented with another client_id, redirect_uri or a wrong code_verifier', description: 'The login or password is wrong' },
    { status: 400, error: 'invalid_client', meaning: 'client_id names no active application', description: 'Unknown or inactive clientId' },
    { status: 403, error: 'mfa_required', meaning: 'two-factor authentication is on: finish with POST /api/v1/auth/mfa/verify and mfa_token', description: 'A second factor is required to finish signing in', extra: { mfa_token: 'mfa_Vt3nq0c2l1Yf8VxkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E' } },
    { status: 413, error: 'invalid_request', meaning: 'the body is larger than allowed', description: 'The request body is larger than allowed' },
    { status: 415, error: 'invalid_request', meaning: 'the body is not form-encoded', description: 'This content type is not accepted' },
    { status: 429, error: 'invalid_grant', meaning: 'the account is locked after repeated failures; see Retry-After', description: 'Too many failed attempts; try again later' },
    { status: 429, error: 'slow_down', meaning: 'too many requests from this address; see Retry-After', description: 'Too many requests from this address; retry later', extra: { code: 'RATE_LIMITED' } },
    { status: 500, error: 'server_error', meaning: 'an unexpected error, logged with the request id', description: 'An unexpected error occurred; it has been logged' },
    { status: 503, error: 'temporarily_unavailable', meaning: 'too many sign-ins are waiting for the password hasher, or the database is unavailable; see Retry-After', description: 'Too many logins in progress; retry shortly' },
  )
  @RefreshCookie('issue')
  @ApiOkResponse({ description: 'RFC 6749 token response' })
  async issueToken(@Meta() meta: RequestMeta, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<OAuthTokenDto | OAuthErrorDto> {
    const field = (name: string) => (typeof body?.[name] === 'string' ? (body[name] as string) : undefined);
    const fail = (status: number, error: string, description: string) => {
      reply.status(status);
      return { error, error_description: description };
    };
    try {
      // The per-address limit, here rather than as a guard so that its 429 takes this endpoint's RFC 6749 form.
      await this.addressLimits.check('token', meta.ip);
      let pair: TokenPair;
      const grant = field('grant_type');
      if (grant === 'password') {
        const username = field('username');
        const password = field('password');
        if (!username || !password) return fail(400, 'invalid_request', 'username and password are required');
        if ([...password].length > 128 || username.length > 254) return fail(400, 'invalid_request', 'username or password too long');
        pair = await this.logins.execute(meta, { login: username, password, clientId: field('client_id') });
      } else if (grant === 'refresh_token') {
        const refreshToken = field('refresh_token');
        if (!refreshToken) return fail(400, 'invalid_request', 'refresh_token is required');
        pair = await this.refresher.execute(refreshToken, meta);
      } else if (grant === 'authorization_code' && this.codeSignIn.available) {
        const code = field('code');
        const redirectUri = field('redirect_uri');
        const clientId = field('client_id');
        const codeVerifier = field('code_verifier');
        if (!code || !redirectUri || !clientId || !codeVerifier) return fail(400, 'invalid_request', 'code, redirect_uri, client_id and code_verifier are required');
        if (code.length > 512 || redirectUri.length > 2000 || clientId.length > 128 || codeVerifier.length > 128) return fail(400, 'invalid_grant', 'The code, redirect URI, client or verifier does not match');
        pair = await this.codeSignIn.execute(meta, { code, redirectUri, clientId, codeVerifier });
      } else if (!grant) {
        return fail(400, 'invalid_request', 'grant_type is required');
      } else {
        return fail(400, 'unsupported_grant_type', `Supported grants: password, refresh_token${this.codeSignIn.available ? ', authorization_code' : ''}`);
      }
      return { access_token: pair.accessToken, token_type: 'Bearer', expires_in: pair.expiresIn, refresh_token: pair.refreshToken };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
      if (error.code === 'UNKNOWN_CLIENT') return fail(400, 'invalid_client', error.message);
      if (error.code === 'LOGIN_LOCKED') return fail(429, 'invalid_grant', error.message);
      if (error.code === RATE_LIMITED) return { ...fail(429, 'slow_down', error.message), code: RATE_LIMITED };
      if (error.code === 'LOGIN_BUSY') return fail(503, 'temporarily_unavailable', error.message);
      if (error instanceof MfaRequiredError) return { ...fail(403, 'mfa_required', error.message), mfa_token: error.mfaToken };
      return fail(400, 'invalid_grant', error.message);
    }
  }


  @Post('password/change')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; ends the user’s other sessions' })
  @ApiResponse({ status: 204, description: 'Password changed' })
  @ApiErrors('INVALID_CURRENT_PASSWORD', 'PASSWORD_TOO_WEAK', 'LOGIN_LOCKED')
  async changePassword(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Body() body: ChangePasswordDto): Promise<void> {
    await this.passwords.execute(actor, meta, body);
  }
}
