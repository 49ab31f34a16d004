import { Controller, Get, Header, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Meta, RequestMeta } from '@app/kernel';
import { ApiErrors, DomainError, httpConfig, HttpSettings, Public, RateLimit } from '@app/core';
import { ProviderSignIn } from '../application/provider-sign-in';
import { errorPage } from './error-page';
import { ProviderListDto, toProviderDto } from './federation.dto';

const HTML = 'text/html; charset=utf-8';

/** Query values as single strings (a repeated parameter is refused rather than guessed at). */
function singleValues(query: Record<string, unknown>): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (typeof value !== 'string') return null;
    out[key] = value;
  }
  return out;
}

/** The page a browser gets instead of the problem document (when it asks for HTML). */
const htmlPage = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'text/html': { schema: { type: 'string' }, example: `<!doctype html><html lang="en"><head><title>Sign-in cannot start</title></head><body><main><h1>Sign-in cannot start</h1><p role="alert">${description}</p></main></body></html>` } } });

const redirectResponse = (description: string) =>
  ApiResponse({ status: 302, description, headers: { Location: { description: 'Where the browser goes next', schema: { type: 'string', format: 'uri' } } } });

/**
 * Sign-in with external identity providers (API.md). The browser-facing steps answer errors as an
 * HTML page when the client asks for HTML (a browser), otherwise as problem+json — never as a
 * redirect to an unchecked address.
 */
@ApiTags('auth')
@Controller('auth/providers')
export class ProvidersController {
  constructor(
    private readonly signIn: ProviderSignIn,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
  ) {}

  private failure(error: unknown, request: FastifyRequest, reply: FastifyReply, title: string): string {
    if (!(error instanceof DomainError) || !/text\/html/.test(request.headers.accept ?? '')) throw error;
    const status = error.kind === 'not_found' ? 404 : error.kind === 'unavailable' ? 503 : error.kind === 'rate_limited' ? 429 : 400;
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    reply.status(status).type(HTML).header('Cache-Control', 'no-store');
    return errorPage(this.http.productName, title, error.message, error.code);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'The configured identity providers (for "Continue with …" buttons)' })
  @ApiOkResponse({ description: 'The providers, in configured order', type: ProviderListDto })
  listProviders(): ProviderListDto {
    return { items: this.signIn.list().map(toProviderDto) };
  }

  @Get(':id/authorize')
  @Public()
  @RateLimit('provider-authorize')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Start signing in with a provider: redirects the browser to it',
    description:
      'Open in the browser (a full-page navigation, not fetch). The application must have registered `redirect_uri` exactly and sends its own PKCE challenge (S256) and `state`. ' +
      'After the provider, the browser returns to `redirect_uri` with `code` (single use, 60 s; redeem at POST /auth/token with `grant_type=authorization_code`) and `state`, or with `error` and `state`.',
  })
  @ApiParam({ name: 'id', description: 'Provider id from GET /auth/providers', example: 'github' })
  @ApiQuery({ name: 'client_id', required: true, description: "The application's clientId", example: 'web' })
  @ApiQuery({ name: 'redirect_uri', required: true, description: 'One of the application’s registered redirect URIs (exact match)', example: 'https://app.example.com/auth/callback' })
  @ApiQuery({ name: 'state', required: false, description: 'Opaque; returned unchanged to redirect_uri (use it against CSRF)' })
  @ApiQuery({ name: 'code_challenge', required: true, description: 'PKCE: base64url(SHA-256(code_verifier)), 43 characters' })
  @ApiQuery({ name: 'code_challenge_method', required: true, enum: ['S256'] })
  @ApiProduces('application/problem+json', 'text/html')
  @redirectResponse('To the provider’s sign-in page')
  @ApiErrors('REDIRECT_URI_INVALID', 'PKCE_REQUIRED', 'PROVIDER_NOT_FOUND', 'PROVIDER_UNAVAILABLE')
  @htmlPage(400, 'The client is unknown or this redirect_uri is not registered for it')
  async authorizeWithProvider(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | void> {
    try {
      const q = singleValues(query);
      if (!q) throw new DomainError('invalid', 'VALIDATION_FAILED', 'Each query parameter may appear once');
      if (q.state !== undefined && q.state.length > 1024) throw new DomainError('invalid', 'VALIDATION_FAILED', 'state is longer than 1024 characters');
      const url = await this.signIn.authorize(id, { clientId: q.client_id, redirectUri: q.redirect_uri, state: q.state, codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method });
      reply.redirect(url, 302);
    } catch (error) {
      return this.failure(error, request, reply, 'Sign-in cannot start');
    }
  }

  @Get(':id/callback')
  @Public()
  @RateLimit('provider-callback')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Where the provider sends the browser back; redirects to the application',
    description:
      'Register `{PUBLIC_BASE_URL}/api/v1/auth/providers/{id}/callback` with the provider. Redirects to the application’s `redirect_uri` with `code` and `state` (sign-in), `linked=<provider>` (linking), ' +
      'or `error` (`access_denied`, `account_exists`, `identity_in_use`, `provider_already_linked`, `server_error`, `temporarily_unavailable`) with `error_description` — never with tokens.',
  })
  @ApiParam({ name: 'id', example: 'github' })
  @ApiQuery({ name: 'state', required: true, description: 'The service’s own state, as sent to the provider' })
  @ApiQuery({ name: 'code', required: false, description: 'The provider’s code' })
  @ApiQuery({ name: 'error', required: false, description: 'The provider’s error (e.g. access_denied)' })
  @ApiProduces('application/problem+json', 'text/html')
  @redirectResponse('To the application’s redirect_uri with `code` and `state`, `linked`, or `error`')
  @ApiErrors('PROVIDER_STATE_INVALID', 'PROVIDER_NOT_FOUND')
  @htmlPage(400, 'This sign-in link is unknown, expired or was already used; start again from the application')
  async providerCallback(@Param('id') id: string, @Query() query: Record<string, unknown>, @Meta() meta: RequestMeta, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | void> {
    try {
      const q = singleValues(query);
      if (!q) throw new DomainError('invalid', 'PROVIDER_STATE_INVALID', 'Each query parameter may appear once');
      const outcome = await this.signIn.callback(id, q, { ip: meta.ip, userAgent: meta.userAgent });
      reply.header('Referrer-Policy', 'no-referrer');
      reply.redirect(outcome.redirectTo, 302);
    } catch (error) {
      return this.failure(error, request, reply, 'Sign-in cannot continue');
    }
  }
}

