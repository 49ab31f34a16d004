import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageDto } from '@app/kernel';

export class TokenPairDto {
  @ApiProperty({ description: 'JWT (ES256) for `Authorization: Bearer`' })
  accessToken: string;

  @ApiPropertyOptional({ description: 'Opaque; rotated on every use. Absent in cookie mode (header `X-Refresh-Token-Delivery: cookie`): then it is the HttpOnly cookie `refresh_token`.' })
  refreshToken?: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 })
  expiresIn: number;

  @ApiProperty({ description: 'Refresh token lifetime in seconds', example: 2592000 })
  refreshExpiresIn: number;
}

export class RefreshDto {
  @ApiPropertyOptional({ example: 'kQ3r8vN0cT2bY7mK1pL5sD9fG4hJ6wE8aZ0uI3oR2yQ', description: 'The refreshToken of the last token pair; required unless the `refresh_token` cookie is sent (cookie mode, with the header `X-Refresh-Token-Delivery: cookie`)' })
  @IsOptional()
  @IsString()
  // Room for a mistaken access token (its claims grow), which then answers 401 TOKEN_INVALID, not 400.
  @MaxLength(4096)
  refreshToken?: string;
}

export class LogoutDto {
  @ApiPropertyOptional({
    description: 'Without a bearer token: the refresh token of the session to end (or the `refresh_token` cookie, with the header `X-Refresh-Token-Delivery: cookie`)',
    example: 'kQ3r8vN0cT2bY7mK1pL5sD9fG4hJ6wE8aZ0uI3oR2yQ',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refreshToken?: string;
}
export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty()
  clientId: string;

  @ApiProperty({ description: 'This is the session of the token making the request' })
  current: boolean;

  @ApiProperty({ format: 'date-time', description: 'Absolute end of the session' })
  expiresAt: string;
}

export class SessionListDto extends PageDto {
  @ApiProperty({ type: [SessionDto] })
  items: SessionDto[];
}

export class IntrospectDto {
  @ApiProperty({ description: 'An access token or a refresh token', example: 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImsxIn0.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl' })
  @IsString()
  @MaxLength(4096)
  token: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'], description: 'RFC 7662 hint (optional)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  token_type_hint?: string;
}

export class IntrospectionDto {
  @ApiProperty()
  active: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  sub?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  sid?: string;

  @ApiPropertyOptional()
  aud?: string;

  @ApiPropertyOptional({ type: [String] })
  roles?: string[];

  @ApiPropertyOptional()
  exp?: number;

  @ApiPropertyOptional()
  iat?: number;

  @ApiPropertyOptional({ enum: ['access', 'refresh'] })
  typ?: string;

  @ApiPropertyOptional({ type: [String], description: 'RFC 8176 authentication methods of the session: pwd, otp, mfa, hwk', example: ['pwd', 'mfa', 'otp'] })
  amr?: string[];
}

export class JwkDto {
  @ApiProperty({ example: 'EC' })
  kty: string;

  @ApiProperty({ example: 'P-256' })
  crv: string;

  @ApiProperty()
  x: string;

  @ApiProperty()
  y: string;

  @ApiProperty()
  kid: string;

  @ApiProperty({ example: 'sig' })
  use: string;

  @ApiProperty({ example: 'ES256' })
  alg: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] })
  keys: JwkDto[];
}
