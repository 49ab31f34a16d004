import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiProblems, Authenticated } from '@app/core';
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
  @ApiOkResponse({ type: UserRolesDto })
  @ApiProblems(400, 404)
  async assignUserRoles(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: AssignRolesDto): Promise<UserRolesDto> {
    const roles = await this.assign.execute(actor, origin, id, body);
    return { userId: id, applicationId: body.applicationId ?? null, roles: roles.map(toRoleDto) };
  }
}
