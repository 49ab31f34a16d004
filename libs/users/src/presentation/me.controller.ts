import { Body, Controller, Delete, Get, HttpCode, Patch, Put, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ImageUploadDto, readUploadedFile } from '@app/storage';
import type { Actor } from '@app/kernel';
import { CurrentActor } from '@app/kernel';
import { ApiErrors, Authenticated } from '@app/core';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { AccountUseCases } from '../application/account.use-cases';
import { DeleteMeDto, UpdateMeDto } from './me.dto';

import { toUserResponse, UserResponse } from './user.response';

export class AvatarDto {
  @ApiProperty({ example: '/api/v1/uploads/avatars/1b4e28ba-2fa1-11d2-883f-0016d3cca427.webp' })
  avatarUrl: string;
}

@ApiTags('users')
@Controller('users/me')
export class MeController {
  constructor(private readonly accounts: AccountUseCases) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The caller’s own account' })
  @ApiOkResponse({ description: 'The caller’s account', type: UserResponse })
  async getMe(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return toUserResponse(await this.accounts.me(actor));
  }

  @Patch()
  @Authenticated()
  @ApiOperation({
    summary: 'Change names, username, email or phone (a changed email or phone must be verified again)',
    description:
      'A new email becomes `pendingEmail` and is mailed a link that makes it the account’s email; an address that belongs to another account is answered alike and sent nothing. New emails and phones are limited per user (429 CONTACT_CHANGE_LIMIT).',
  })
  @ApiOkResponse({ description: 'The account as changed (a new email address stays pendingEmail until verified)', type: UserResponse })
  @ApiErrors('USERNAME_TAKEN', 'EMAIL_TAKEN', 'PHONE_TAKEN', 'IDENTIFIER_TAKEN', 'USERNAME_LOOKS_LIKE_PHONE', 'CONTACT_CHANGE_LIMIT')
  async updateMe(@CurrentActor() actor: Actor, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return toUserResponse(await this.accounts.update(actor, body));
  }

  @Delete()
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete the account (needs the current password); every session ends',
    description: 'A wrong password counts toward the account lockout like a failed login; a locked account gets 429 LOGIN_LOCKED.',
  })
  @ApiResponse({ status: 204, description: 'Account deleted' })
  @ApiErrors('INVALID_CURRENT_PASSWORD', 'LOGIN_LOCKED')
  async deleteMe(@CurrentActor() actor: Actor, @Body() body: DeleteMeDto, @AuditOrigin() origin: AuditMeta): Promise<void> {
    await this.accounts.delete(actor, body.password, origin);
  }

  @Put('avatar')
  @Authenticated()
  @ApiOperation({ summary: 'Set the avatar (multipart field file: PNG, JPEG or WebP, sniffed from the bytes)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImageUploadDto })
  @ApiOkResponse({ description: 'The new avatar', type: AvatarDto })
  @ApiErrors('FILE_REQUIRED', 'INVALID_IMAGE', 'IMAGE_TOO_LARGE', 'UNSUPPORTED_IMAGE_TYPE', 'RATE_LIMITED', 'UPLOAD_BUSY')
  async setMyAvatar(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<AvatarDto> {
    const user = await this.accounts.setAvatar(actor, () => readUploadedFile(request));
    return { avatarUrl: toUserResponse(user).avatarUrl! };
  }
}
