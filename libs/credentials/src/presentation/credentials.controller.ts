import { Body, Controller, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { RefreshCookie, RefreshTokensUseCase, TokenPair, TokenPairDto } from '@app/auth';
import { AddressRateLimits, ApiMfaRequired, ApiProblems, Authenticated, DomainError, OAUTH2_ERROR_FORMAT, Public, RATE_LIMITED, RateLimit } from '@app/core';
import { Actor, CurrentActor, Meta, RequestMeta } from '@app/kernel';
import { toUserResponse } from '@app/users';
import { ChangePasswordUseCase } from '../application/change-password.use-case';
import { LoginUseCase } from '../application/login.use-case';
import { RegisterUseCase } from '../application/register.use-case';
import { MfaRequiredError } from '../domain/errors';
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
  ) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @ApiOperation({ summary: 'Create an account' })
  @ApiResponse({ status: 201, type: RegisteredDto })
  @ApiProblems(400, 409, 429)
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
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 429, 503)
  @ApiMfaRequired()
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
    summary: 'OAuth2 token endpoint (RFC 6749): password and refresh_token grants',
    description: 'Form-encoded. Errors use the RFC 6749 shape `{ error, error_description }`. Used by Swagger UI’s Authorize button.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequestDto })
  @ApiExtraModels(OAuthErrorDto)
  @ApiOkResponse({ type: OAuthTokenDto })
  @ApiResponse({ status: 400, description: 'RFC 6749 error', content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorDto) } } } })
  @ApiResponse({ status: 429, description: 'Locked (`invalid_grant`) or rate-limited (`slow_down`, with `code: RATE_LIMITED`); see Retry-After', content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorDto) } } } })
  @ApiResponse({ status: 403, description: 'Two-factor authentication is on: `{ error: "mfa_required", error_description, mfa_token }`; finish with POST /auth/mfa/verify', content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorDto) }, example: { error: 'mfa_required', error_description: 'A second factor is required to finish signing in', mfa_token: 'mfa_3q2kQ…' } } } })
  @ApiResponse({ status: 503, description: 'Busy; see Retry-After', content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorDto) } } } })
  @RefreshCookie('issue')
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
      } else if (!grant) {
        return fail(400, 'invalid_request', 'grant_type is required');
      } else {
        return fail(400, 'unsupported_grant_type', 'Supported grants: password, refresh_token');
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
  @ApiProblems(429)
  async changePassword(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Body() body: ChangePasswordDto): Promise<void> {
    await this.passwords.execute(actor, meta, body);
  }
}
