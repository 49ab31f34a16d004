import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/kernel';
import { CurrentActor } from '@app/kernel';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiProblems, Authenticated } from '@app/core';
import { UserAdminUseCases } from '../application/user-admin.use-cases';
import { toUserResponse, UserResponse } from './user.response';
import { CreateUserDto, PhoneQueryDto, UpdateUserDto, UserListDto, UserListQueryDto } from './users.dto';

/** User administration. `/users/me` (self-service) lives in MeController. */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly admin: UserAdminUseCases) {}

  @Get()
  @Authenticated({ permission: 'users:read' })
  @ApiOperation({ summary: 'List users, newest first; filter by text, role, status and application' })
  @ApiOkResponse({ type: UserListDto })
  @ApiProblems(400)
  async listUsers(@CurrentActor() actor: Actor, @Query() query: UserListQueryDto): Promise<UserListDto> {
    const page = await this.admin.list(actor, query);
    return { items: page.items.map((u) => toUserResponse(u)), nextCursor: page.nextCursor };
  }

  @Post()
  @Authenticated({ permission: 'users:write' })
  @ApiOperation({ summary: 'Create a user (holding the `user` role)' })
  @ApiResponse({ status: 201, type: UserResponse })
  @ApiProblems(400, 409)
  async createUser(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.admin.create(actor, origin, body));
  }

  @Delete()
  @Authenticated({ permission: 'users:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the user with this phone number (`?phone=`); their tokens stop working at once' })
  @ApiResponse({ status: 204, description: 'User deleted' })
  @ApiProblems(400, 404)
  async deleteUserByPhone(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Query() query: PhoneQueryDto): Promise<void> {
    await this.admin.deleteByPhone(actor, origin, query.phone);
  }

  @Get('by-phone/:phone')
  @Authenticated({ permission: 'users:read' })
  @ApiOperation({ summary: 'Find a user by phone number' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(404)
  async getUserByPhone(@CurrentActor() actor: Actor, @Param('phone') phone: string): Promise<UserResponse> {
    return toUserResponse(await this.admin.getByPhone(actor, phone));
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One user (needs users:read, except for oneself)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 403, 404)
  async getUser(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<UserResponse> {
    return toUserResponse(await this.admin.get(actor, id));
  }

  @Patch(':id')
  @Authenticated({ permission: 'users:write' })
  @ApiOperation({ summary: 'Change a user; `status: "disabled"` ends their sessions and tokens at once' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 404, 409)
  async updateUser(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.admin.update(actor, origin, id, body));
  }

  @Delete(':id')
  @Authenticated({ permission: 'users:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; their tokens stop working at once, their own tasks are deleted and assigned ones unassigned' })
  @ApiResponse({ status: 204, description: 'User deleted' })
  @ApiProblems(400, 404)
  async deleteUser(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.admin.delete(actor, origin, id);
  }
}
