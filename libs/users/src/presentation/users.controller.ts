import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/kernel';
import { CurrentActor } from '@app/kernel';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiErrors, Authenticated } from '@app/core';
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
  @ApiOkResponse({ description: 'A page of users, newest first', type: UserListDto })
  @ApiErrors('INVALID_CURSOR', 'OUTSIDE_APPLICATION')
  async listUsers(@CurrentActor() actor: Actor, @Query() query: UserListQueryDto): Promise<UserListDto> {
    const page = await this.admin.list(actor, query);
    return { items: page.items.map((u) => toUserResponse(u)), nextCursor: page.nextCursor };
  }

  @Post()
  @Authenticated({ permission: 'users:write' })
  @ApiOperation({ summary: 'Create a user (holding the user role)' })
  @ApiResponse({ status: 201, description: 'The new user', type: UserResponse })
  @ApiErrors('USERNAME_TAKEN', 'EMAIL_TAKEN', 'PHONE_TAKEN', 'IDENTIFIER_TAKEN', 'PASSWORD_TOO_WEAK', 'USERNAME_LOOKS_LIKE_PHONE', 'OUTSIDE_APPLICATION')
  async createUser(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.admin.create(actor, origin, body));
  }

  @Delete()
  @Authenticated({ permission: 'users:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the user with this phone number (query phone); their tokens stop working at once' })
  @ApiResponse({ status: 204, description: 'User deleted' })
  @ApiErrors('USER_NOT_FOUND', 'OUTSIDE_APPLICATION')
  async deleteUserByPhone(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Query() query: PhoneQueryDto): Promise<void> {
    await this.admin.deleteByPhone(actor, origin, query.phone);
  }

  @Get('by-phone/:phone')
  @Authenticated({ permission: 'users:read' })
  @ApiOperation({ summary: 'Find a user by phone number' })
  @ApiOkResponse({ description: 'The user', type: UserResponse })
  @ApiErrors('USER_NOT_FOUND')
  async getUserByPhone(@CurrentActor() actor: Actor, @Param('phone') phone: string): Promise<UserResponse> {
    return toUserResponse(await this.admin.getByPhone(actor, phone));
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One user (needs users:read, except for oneself)' })
  @ApiOkResponse({ description: 'The user', type: UserResponse })
  @ApiErrors('FORBIDDEN', 'USER_NOT_FOUND')
  async getUser(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<UserResponse> {
    return toUserResponse(await this.admin.get(actor, id));
  }

  @Patch(':id')
  @Authenticated({ permission: 'users:write' })
  @ApiOperation({ summary: 'Change a user; status disabled ends their sessions and tokens at once' })
  @ApiOkResponse({ description: 'The user as changed', type: UserResponse })
  @ApiErrors('USERNAME_TAKEN', 'EMAIL_TAKEN', 'PHONE_TAKEN', 'IDENTIFIER_TAKEN', 'USER_NOT_FOUND', 'USERNAME_LOOKS_LIKE_PHONE', 'OUTSIDE_APPLICATION')
  async updateUser(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.admin.update(actor, origin, id, body));
  }

  @Delete(':id')
  @Authenticated({ permission: 'users:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; their tokens stop working at once, their own tasks are deleted and assigned ones unassigned' })
  @ApiResponse({ status: 204, description: 'User deleted' })
  @ApiErrors('USER_NOT_FOUND', 'OUTSIDE_APPLICATION')
  async deleteUser(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.admin.delete(actor, origin, id);
  }
}
