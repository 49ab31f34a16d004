import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Authenticated, Public } from '@app/core';
import { Actor, CurrentActor, Meta, PageQueryDto, pageLimit, RequestMeta } from '@app/kernel';
import { IntrospectUseCase } from '../application/introspect.use-case';
import { RefreshTokensUseCase } from '../application/refresh-tokens.use-case';
import { SessionsUseCases, SessionView } from '../application/sessions.use-cases';
import { TokenPair } from '../domain/session';
import { IntrospectDto, IntrospectionDto, RefreshDto, SessionDto, SessionListDto, TokenPairDto } from './auth.dto';

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
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401)
  refreshTokens(@Meta() meta: RequestMeta, @Body() body: RefreshDto): Promise<TokenPair> {
    return this.refresher.execute(body.refreshToken, meta);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'End the current session' })
  @ApiResponse({ status: 204, description: 'Session ended' })
  async logout(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta): Promise<void> {
    await this.sessions.logout(actor, meta);
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
  @ApiOkResponse({ type: SessionListDto })
  @ApiProblems(400)
  async listSessions(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<SessionListDto> {
    const page = await this.sessions.list(actor, { limit: pageLimit(query), cursor: query.cursor });
    return { items: page.items.map(toSessionDto), nextCursor: page.nextCursor };
  }

  @Delete('sessions/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of the user’s sessions' })
  @ApiResponse({ status: 204, description: 'Session ended' })
  @ApiProblems(404)
  async revokeSession(@CurrentActor() actor: Actor, @Meta() meta: RequestMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.sessions.revoke(actor, id, actor.userId, meta);
  }

  @Post('introspect')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 7662 token introspection (own tokens, or any with tokens:introspect)' })
  @ApiOkResponse({ type: IntrospectionDto })
  @ApiProblems(403)
  introspectToken(@CurrentActor() actor: Actor, @Body() body: IntrospectDto): Promise<IntrospectionDto> {
    return this.introspection.execute(actor, body.token);
  }
}
