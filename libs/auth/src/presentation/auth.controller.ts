import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Authenticated, Public, UnauthenticatedError, ValidationFailedError } from '@app/core';
import { Actor, CurrentActor, Meta, PageQueryDto, pageLimit, RequestMeta } from '@app/kernel';
import { IntrospectUseCase } from '../application/introspect.use-case';
import { RefreshTokensUseCase } from '../application/refresh-tokens.use-case';
import { SessionsUseCases, SessionView } from '../application/sessions.use-cases';
import { TokenPair } from '../domain/session';
import { IntrospectDto, IntrospectionDto, LogoutDto, RefreshDto, SessionDto, SessionListDto, TokenPairDto } from './auth.dto';
import { RefreshCookie } from './refresh-cookie';

export function toSessionDto(s: SessionView): SessionDto {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    clientId: s.clientId,
    current: s.current,
    expiresAt: s.expiresAt.toISOString(),
  };
}

/** Refresh, logout, the user's sessions and token introspection. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly refresher: RefreshTokensUseCase,
    private readonly sessions: SessionsUseCases,
    private readonly introspection: IntrospectUseCase,
  ) {}

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the refresh token rotates)' })
  @ApiOkResponse({ description: 'A new token pair; the refresh token sent is retired', type: TokenPairDto })
  @ApiErrors('TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_REVOKED', 'TOKEN_REUSED', 'UNKNOWN_CLIENT')
  @RefreshCookie('rotate')
  refreshTokens(@Meta() meta: RequestMeta, @Body() body: RefreshDto): Promise<TokenPair> {
    if (body.refreshToken === undefined) {
      throw new ValidationFailedError('The request is not valid', [{ field: 'refreshToken', message: 'refreshToken is required (or the refresh_token cookie in cookie mode)' }]);
    }
    return this.refresher.execute(body.refreshToken, meta);
  }

  @Post('logout')
  @Authenticated({ optional: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the current session',
    description:
      'With a bearer token: ends its session. Without one: ends the session of the refresh token in the body, or of the `refresh_token` cookie ' +
      '(cookie mode, with the header `X-Refresh-Token-Delivery: cookie`); an unknown or already ended refresh token changes nothing. ' +
      'In cookie mode the cookie is cleared. Neither a bearer token nor a refresh token: 401 `UNAUTHENTICATED`.',
  })
  @ApiBody({ type: LogoutDto, required: false })
  @ApiResponse({ status: 204, description: 'Session ended' })
  @RefreshCookie('end')
  async logout(@CurrentActor() actor: Actor | undefined, @Meta() meta: RequestMeta, @Body() body: LogoutDto): Promise<void> {
    if (actor) return this.sessions.logout(actor, meta);
    if (body?.refreshToken !== undefined) return this.sessions.logoutWithRefreshToken(body.refreshToken, meta);
    throw new UnauthenticatedError();
  }

  @Post('logout-all')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of the user' })
  @ApiResponse({ status: 204, description: 'All sessions ended' })
  async logoutAll(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta): Promise<void> {
    await this.sessions.logoutAll(actor, meta);
  }

  @Get('sessions')
  @Authenticated()
  @ApiOperation({ summary: 'List the user’s active sessions' })
  @ApiOkResponse({ description: 'A page of the user’s active sessions, newest first (current marks the caller’s)', type: SessionListDto })
  @ApiErrors('INVALID_CURSOR')
  async listSessions(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<SessionListDto> {
    const page = await this.sessions.list(actor, { limit: pageLimit(query), cursor: query.cursor });
    return { items: page.items.map(toSessionDto), nextCursor: page.nextCursor };
  }

  @Delete('sessions/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of the user’s sessions' })
  @ApiResponse({ status: 204, description: 'Session ended' })
  @ApiErrors('SESSION_NOT_FOUND')
  async revokeSession(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.sessions.revoke(actor, id, actor.userId, meta);
  }

  @Post('introspect')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 7662 token introspection (own tokens, or any with tokens:introspect)' })
  @ApiOkResponse({ description: 'RFC 7662 answer: active, and the token claims when it is active', type: IntrospectionDto })
  introspectToken(@CurrentActor() actor: Actor, @Body() body: IntrospectDto): Promise<IntrospectionDto> {
    return this.introspection.execute(actor, body.token);
  }
}
