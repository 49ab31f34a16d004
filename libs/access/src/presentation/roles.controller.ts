import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiErrors, Authenticated, ValidationFailedError } from '@app/core';
import { CurrentActor, pageLimit, PageQueryDto } from '@app/kernel';
import { RolesUseCases } from '../application/roles.use-cases';
import type { Actor } from '@app/kernel';
import {
  CreateRolesDto,
  PermissionListDto,
  RoleDto,
  RoleListDto,
  RolePageDto,
  RoleQueryDto,
  RoleStatusDto,
  SetRolePermissionsDto,
  toRoleDto,
  UpdateRoleDto,
} from './access.dto';

@ApiTags('roles')
@Controller()
export class RolesController {
  constructor(private readonly roles: RolesUseCases) {}

  @Get('permissions')
  @Authenticated({ permission: 'roles:read' })
  @ApiOperation({ summary: 'The catalogue of permission strings roles may grant' })
  @ApiOkResponse({ description: 'The permission catalogue', type: PermissionListDto })
  listPermissions(@Query() query: PageQueryDto): PermissionListDto {
    return this.roles.permissions({ limit: pageLimit(query), cursor: query.cursor });
  }

  @Get('roles')
  @Authenticated({ permission: 'roles:read' })
  @ApiOperation({ summary: 'List roles (an application admin sees its application’s roles)' })
  @ApiOkResponse({ description: 'A page of roles, oldest first', type: RolePageDto })
  @ApiErrors('INVALID_CURSOR')
  async listRoles(@CurrentActor() actor: Actor, @Query() query: RoleQueryDto): Promise<RolePageDto> {
    const page = await this.roles.list(actor, { active: query.active, limit: pageLimit(query), cursor: query.cursor });
    return { items: page.items.map(toRoleDto), nextCursor: page.nextCursor };
  }

  @Post('roles')
  @Authenticated({ permission: 'roles:write' })
  @ApiOperation({ summary: 'Create one role, or many with items (all or nothing)' })
  @ApiExtraModels(RoleDto, RoleListDto, CreateRolesDto)
  @ApiBody({ schema: { $ref: getSchemaPath(CreateRolesDto), example: { name: 'editor', description: 'Edits every task', permissions: ['tasks:read:any', 'tasks:write:any'] } } })
  @ApiResponse({ status: 201, description: 'The role, or { items } for a batch', schema: { oneOf: [{ $ref: getSchemaPath(RoleDto) }, { $ref: getSchemaPath(RoleListDto) }] } })
  @ApiErrors('ROLE_NAME_TAKEN', 'ROLE_NAME_SHADOWS_GLOBAL', 'ROLE_NAME_RESERVED', 'UNKNOWN_PERMISSION', 'APPLICATION_NOT_FOUND', 'OUTSIDE_APPLICATION', 'PERMISSION_NOT_HELD', 'PERMISSION_BEYOND_APPLICATION')
  async createRoles(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Body() body: CreateRolesDto): Promise<RoleDto | RoleListDto> {
    if (body.items !== undefined) {
      if (body.name !== undefined || body.permissions !== undefined || body.description !== undefined || body.applicationId !== undefined) {
        return this.invalidMix();
      }
      return { items: (await this.roles.create(actor, origin, body.items)).map(toRoleDto) };
    }
    const [role] = await this.roles.create(actor, origin, [{ name: body.name!, description: body.description, permissions: body.permissions!, applicationId: body.applicationId }]);
    return toRoleDto(role);
  }

  @Put('roles/permissions')
  @Authenticated({ permission: 'roles:write' })
  @ApiOperation({ summary: 'Replace the permissions of several roles in one transaction (one bad item: nothing changes)' })
  @ApiOkResponse({ description: 'The roles as changed', type: RoleListDto })
  @ApiErrors('ROLE_NOT_FOUND', 'UNKNOWN_PERMISSION', 'SYSTEM_ROLE_PROTECTED', 'OUTSIDE_APPLICATION', 'PERMISSION_NOT_HELD', 'PERMISSION_BEYOND_APPLICATION')
  async setRolePermissions(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Body() body: SetRolePermissionsDto): Promise<RoleListDto> {
    return { items: (await this.roles.setPermissions(actor, origin, body.items)).map(toRoleDto) };
  }

  @Patch('roles/:id')
  @Authenticated({ permission: 'roles:write' })
  @ApiOperation({ summary: 'Rename a role, or change its description or permissions' })
  @ApiOkResponse({ description: 'The role as changed', type: RoleDto })
  @ApiErrors('ROLE_NOT_FOUND', 'ROLE_NAME_TAKEN', 'ROLE_NAME_SHADOWS_GLOBAL', 'ROLE_NAME_RESERVED', 'UNKNOWN_PERMISSION', 'SYSTEM_ROLE_PROTECTED', 'OUTSIDE_APPLICATION', 'PERMISSION_NOT_HELD', 'PERMISSION_BEYOND_APPLICATION')
  async updateRole(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateRoleDto): Promise<RoleDto> {
    return toRoleDto(await this.roles.update(actor, origin, id, body));
  }

  @Patch('roles/:id/status')
  @Authenticated({ permission: 'roles:write' })
  @ApiOperation({ summary: 'Activate or deactivate a role (an inactive role grants nothing, at once)' })
  @ApiOkResponse({ description: 'The role as changed', type: RoleDto })
  @ApiErrors('ROLE_NOT_FOUND', 'SYSTEM_ROLE_PROTECTED', 'OUTSIDE_APPLICATION', 'PERMISSION_NOT_HELD', 'PERMISSION_BEYOND_APPLICATION')
  async setRoleStatus(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RoleStatusDto): Promise<RoleDto> {
    return toRoleDto(await this.roles.setActive(actor, origin, id, body.active));
  }

  @Delete('roles/:id')
  @Authenticated({ permission: 'roles:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a role (system roles cannot be deleted)' })
  @ApiResponse({ status: 204, description: 'Role deleted' })
  @ApiErrors('ROLE_NOT_FOUND', 'SYSTEM_ROLE_PROTECTED', 'OUTSIDE_APPLICATION', 'PERMISSION_NOT_HELD', 'PERMISSION_BEYOND_APPLICATION')
  async deleteRole(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.roles.delete(actor, origin, id);
  }

  private invalidMix(): never {
    throw new ValidationFailedError('Send one role or `items`, not both', [{ field: 'items', message: 'cannot be combined with a single role' }]);
  }
}
