import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { PageDto } from '@app/kernel';
import type { Identity, ProviderInfo } from '../domain/model';

export class ProviderDto {
  @ApiProperty({ example: 'github', description: 'Used in the authorize and callback paths' })
  id: string;

  @ApiProperty({ example: 'GitHub', description: 'What a sign-in button shows' })
  name: string;

  @ApiProperty({ enum: ['oidc', 'github'] })
  type: 'oidc' | 'github';
}

export class ProviderListDto {
  @ApiProperty({ type: [ProviderDto] })
  items: ProviderDto[];
}

export class IdentityDto {
  @ApiProperty({ example: 'github' })
  provider: string;

  @ApiProperty({ example: '583231', description: "The provider's stable id of the person" })
  subject: string;

  @ApiProperty({ type: String, nullable: true, example: 'octocat@example.com', description: 'The email the provider last asserted' })
  email: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class IdentityListDto extends PageDto {
  @ApiProperty({ type: [IdentityDto] })
  items: IdentityDto[];
}

export class LinkIdentityDto {
  @ApiProperty({ example: 'https://app.example.com/settings/linked', description: "Registered for the access token's application (exact match); the browser returns here with `linked=<provider>` or `error=…`" })
  @IsString()
  @MaxLength(2000)
  redirectUri: string;
}

export class AuthorizeUrlDto {
  @ApiProperty({ example: 'https://github.com/login/oauth/authorize?client_id=…&state=…', description: 'Send the browser here (single use, valid PROVIDER_FLOW_TTL seconds)' })
  authorizeUrl: string;
}

export const toProviderDto = (p: ProviderInfo): ProviderDto => ({ id: p.id, name: p.name, type: p.type });
export const toIdentityDto = (i: Identity): IdentityDto => ({ provider: i.provider, subject: i.subject, email: i.email, createdAt: i.createdAt.toISOString() });
