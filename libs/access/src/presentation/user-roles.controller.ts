import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiErrors, Authenticated } from '@app/core';
import { AssignRolesUseCase } from '../application/assign-roles.use-case';
import type { Actor } from '@app/kernel';
import { AssignRolesDto, toRoleDto, UserRolesDto } from './access.dto';
import { CurrentActor } from '@app/kernel';

@ApiTags('users')
@Controller('users')
export class UserRolesController {
  constructor(private readonly assign: AssignRolesUseCase) {}

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
