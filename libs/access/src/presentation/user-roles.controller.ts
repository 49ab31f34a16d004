import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiErrors, Authenticated } from '@app/core';
import { AssignRolesUseCase } from '../application/assign-roles.use-case';
import { GetUserRolesUseCase } from '../application/get-user-roles.use-case';
import type { Actor } from '@app/kernel';
import { AssignRolesDto, toRoleDto, UserRolesDto, UserRolesQueryDto } from './access.dto';
import { CurrentActor } from '@app/kernel';

@ApiTags('users')
@Controller('users')
export class UserRolesController {
  constructor(
    private readonly assign: AssignRolesUseCase,
    private readonly read: GetUserRolesUseCase,
  ) {}

  @Get(':id/roles')
  @Authenticated({ permission: 'users:read' })
  @ApiOperation({ summary: 'A user’s roles of one scope (global, or one application), as PUT /users/{id}/roles sets them' })
  @ApiOkResponse({ description: 'The user’s roles of that scope', type: UserRolesDto })
  @ApiErrors('USER_NOT_FOUND', 'APPLICATION_NOT_FOUND', 'OUTSIDE_APPLICATION')
  async getUserRoles(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: UserRolesQueryDto): Promise<UserRolesDto> {
    const applicationId = query.applicationId ?? null;
    const roles = await this.read.execute(actor, id, applicationId);
    return { userId: id, applicationId, roles: roles.map(toRoleDto) };
  }

  @Put(':id/roles')
  @Authenticated({ permission: 'roles:assign' })
  @ApiOperation({ summary: 'Set a user’s roles of one scope (global, or one application); effective at their next token refresh' })
  @ApiOkResponse({ description: 'The user’s roles of that scope, as set', type: UserRolesDto })
  @ApiErrors('USER_NOT_FOUND', 'UNKNOWN_ROLE', 'APPLICATION_NOT_FOUND', 'OUTSIDE_APPLICATION', 'PERMISSION_NOT_HELD', 'PERMISSION_BEYOND_APPLICATION')
  async assignUserRoles(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: AssignRolesDto): Promise<UserRolesDto> {
    const roles = await this.assign.execute(actor, origin, id, body);
    return { userId: id, applicationId: body.applicationId ?? null, roles: roles.map(toRoleDto) };
  }
}
