import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Authenticated } from '@app/core';
import { Actor, CurrentActor, Meta, PageQueryDto, pageLimit, RequestMeta } from '@app/kernel';
import { IdentitiesUseCases } from '../application/identities.use-cases';
import { ProviderSignIn } from '../application/provider-sign-in';
import { AuthorizeUrlDto, IdentityListDto, LinkIdentityDto, toIdentityDto } from './federation.dto';

@ApiTags('users')
@Controller('users/me/identities')
export class IdentitiesController {
  constructor(
    private readonly identities: IdentitiesUseCases,
    private readonly signIn: ProviderSignIn,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'External identities linked to my account' })
  @ApiOkResponse({ description: 'One page of linked identities', type: IdentityListDto })
  @ApiErrors('INVALID_CURSOR')
  async listIdentities(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<IdentityListDto> {
    const page = await this.identities.list(actor, { limit: pageLimit(query), cursor: query.cursor });
    return { items: page.items.map(toIdentityDto), nextCursor: page.nextCursor };
  }

  @Post(':provider')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start linking a provider to my account',
    description:
      'Answers the provider URL to send the browser to. After the provider, the browser returns to `redirectUri` with `linked=<provider>`, or with `error=identity_in_use` (that provider account belongs to another account), ' +
      '`error=provider_already_linked` (I have another account of that provider linked) or another OAuth error.',
  })
  @ApiParam({ name: 'provider', example: 'github' })
  @ApiOkResponse({ description: 'Where to send the browser', type: AuthorizeUrlDto })
  @ApiErrors('REDIRECT_URI_INVALID', 'PROVIDER_NOT_FOUND', 'PROVIDER_UNAVAILABLE')
  async linkIdentity(@CurrentActor() actor: Actor, @Param('provider') provider: string, @Body() body: LinkIdentityDto): Promise<AuthorizeUrlDto> {
    return { authorizeUrl: await this.signIn.startLink(actor, provider, body.redirectUri) };
  }

  @Delete(':provider')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlink a provider from my account', description: '409 LAST_SIGN_IN_METHOD when it is the only way left to sign in (no password, no other identity, no passkey).' })
  @ApiParam({ name: 'provider', example: 'github' })
  @ApiResponse({ status: 204, description: 'Unlinked' })
  @ApiErrors('IDENTITY_NOT_FOUND', 'LAST_SIGN_IN_METHOD')
  async unlinkIdentity(@CurrentActor() actor: Actor, @Param('provider') provider: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.identities.unlink(actor, provider, { ip: meta.ip, userAgent: meta.userAgent });
  }
}
