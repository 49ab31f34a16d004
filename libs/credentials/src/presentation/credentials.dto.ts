import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCharLength } from '@app/core';
import { USERNAME_PATTERN, UserResponse } from '@app/users';

export class RegisterDto {
  @ApiProperty({ example: 'ada_l', description: '3–32 letters, digits, `.`, `_` or `-`; unique, case-insensitively' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3–32 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  username: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128, description: '8–128 characters, any Unicode; common passwords are refused' })
  @IsString()
  @IsCharLength(8, 128)
  password: string;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+4741234567', description: 'International format; stored as E.164' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional({ example: 'Ada' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ description: 'From a verified `register` one-time code, when phone verification is required' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  verificationToken?: string;
}

export class RegisteredDto {
  @ApiProperty({ type: () => UserResponse })
  user: UserResponse;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Username, email or phone number' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  login: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsCharLength(1, 128)
  password: string;

  @ApiPropertyOptional({ example: 'default', description: 'The application logging in: selects the token audience and roles' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientId?: string;
}


/** OAuth2 token request (RFC 6749 §4.3, §6), form-encoded. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token', 'authorization_code'], example: 'password' })
  grant_type: string;

  @ApiPropertyOptional({ description: 'password grant: username, email or phone', example: 'ada@example.com' })
  username?: string;

  @ApiPropertyOptional({ description: 'password grant', example: 'correct horse battery staple' })
  password?: string;

  @ApiPropertyOptional({ description: 'refresh_token grant' })
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'application; default application when absent (authorization_code grant: required, the application the code was issued to)' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'authorization_code grant: the one-time code the provider sign-in redirected back with (single use, 60 s)' })
  code?: string;

  @ApiPropertyOptional({ description: 'authorization_code grant: exactly the redirect_uri given to /auth/providers/{id}/authorize' })
  redirect_uri?: string;

  @ApiPropertyOptional({ description: 'authorization_code grant: the PKCE verifier whose S256 challenge was given to /auth/providers/{id}/authorize' })
  code_verifier?: string;

  @ApiPropertyOptional({ description: 'ignored (no scopes)' })
  scope?: string;
}

export class OAuthTokenDto {
  @ApiProperty()
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ example: 900 })
  expires_in: number;

  @ApiPropertyOptional({ description: 'Absent in cookie mode (header `X-Refresh-Token-Delivery: cookie`): then it is the HttpOnly cookie `refresh_token`' })
  refresh_token?: string;
}

export class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_grant', 'invalid_client', 'unsupported_grant_type', 'slow_down', 'temporarily_unavailable', 'server_error', 'mfa_required'] })
  error: string;

  @ApiPropertyOptional()
  error_description?: string;

  @ApiPropertyOptional({ description: 'Present on a per-address rate limit (429 `slow_down`): `RATE_LIMITED`, as in the problem documents of the other endpoints' })
  code?: string;

  @ApiPropertyOptional({ description: 'With `mfa_required` (403): the mfaToken for POST /auth/mfa/verify' })
  mfa_token?: string;
}


export class ChangePasswordDto {
  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsCharLength(1, 128)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'a new horse, battery and staple' })
  @IsString()
  @IsCharLength(8, 128)
  newPassword: string;
}
