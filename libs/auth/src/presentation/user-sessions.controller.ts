import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Meta, pageLimit, PageQueryDto, RequestMeta } from '@app/kernel';
import { AccessReach } from '@app/access';
import { ApiErrors, Authenticated } from '@app/core';
import { UserNotFoundError, UserRepository } from '@app/users';
import { SessionsUseCases } from '../application/sessions.use-cases';
import { SessionListDto } from './auth.dto';
import { toSessionDto } from './auth.controller';

/**
 * An administrator's view of a user's sessions (`users:write`): list them, end one. Held through an
 * application's roles: that application's sessions of its members who hold nothing beyond it.
 */
@ApiTags('users')
@Controller('users/:id/sessions')
export class UserSessionsController {
  constructor(
    private readonly sessions: SessionsUseCases,
    private readonly users: UserRepository,
    private readonly reach: AccessReach,
  ) {}

  @Get()
  @Authenticated({ permission: 'users:write' })
  @ApiOperation({ summary: 'List a user’s active sessions' })
  @ApiOkResponse({ description: 'A page of the user’s active sessions, newest first', type: SessionListDto })
  @ApiErrors('USER_NOT_FOUND', 'INVALID_CURSOR', 'OUTSIDE_APPLICATION')
  async listUserSessions(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQueryDto): Promise<SessionListDto> {
    await this.reachable(actor, id);
    const page = await this.sessions.list(actor, { limit: pageLimit(query), cursor: query.cursor }, id, this.within(actor));
    return { items: page.items.map(toSessionDto), nextCursor: page.nextCursor };
  }

  @Delete(':sid')
  @Authenticated({ permission: 'users:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of a user’s sessions (its tokens stop working at once)' })
  @ApiResponse({ status: 204, description: 'Session ended' })
  @ApiErrors('USER_NOT_FOUND', 'SESSION_NOT_FOUND', 'OUTSIDE_APPLICATION')
  async revokeUserSession(
    @CurrentActor() actor: Actor,
    @Meta() meta: RequestMeta,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('sid', new ParseUUIDPipe()) sid: string,
  ): Promise<void> {
    await this.reachable(actor, id);
    await this.sessions.revoke(actor, sid, id, meta, this.within(actor));
  }

  /** An application admin sees and ends the sessions of its application only. */
  private within(actor: Actor): string[] | undefined {
    return this.reach.confinedClientIds(actor, 'users:write') ?? undefined;
  }

  /** The user exists (404) and the actor may administer them (an application admin: 403 beyond its members). */
  private async reachable(actor: Actor, id: string): Promise<void> {
    if (!(await this.users.findById(id))) throw new UserNotFoundError();
    await this.reach.assertCanManage(actor, 'users:write', id);
  }
}
