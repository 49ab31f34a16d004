import { Body, Controller, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '@app/access';
import { ApiProblems, Authenticated } from '@app/core';
import { AccountUseCases } from '../application/account.use-cases';
import { DeleteMeDto, UpdateMeDto } from './me.dto';

import { toUserResponse, UserResponse } from './user.response';

@ApiTags('users')
@Controller('users/me')
export class MeController {
  constructor(private readonly accounts: AccountUseCases) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The caller’s own account' })
  @ApiOkResponse({ type: UserResponse })
  async getMe(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return toUserResponse(await this.accounts.me(actor));
  }

  @Patch()
  @Authenticated()
  @ApiOperation({ summary: 'Change names, username, email or phone (a changed email or phone must be verified again)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(409)
  async updateMe(@CurrentActor() actor: Actor, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return toUserResponse(await this.accounts.update(actor, body));
  }

  @Delete()
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the account (needs the current password); every session ends' })
  @ApiResponse({ status: 204, description: 'Account deleted' })
  async deleteMe(@CurrentActor() actor: Actor, @Body() body: DeleteMeDto): Promise<void> {
    await this.accounts.delete(actor, body.password);
  }
}
