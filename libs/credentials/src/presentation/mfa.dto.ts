import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageDto } from '@app/kernel';
import { IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';

export class EnrolTotpDto {
  @ApiPropertyOptional({ description: 'The current password (accounts without one: a sign-in within the last 5 minutes instead)', example: 'correct horse battery staple' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({ description: 'A name to tell factors apart', example: 'Phone (Aegis)', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;
}

export class TotpEnrolmentDto {
  @ApiProperty({ format: 'uuid' })
  factorId: string;

  @ApiProperty({ description: 'Base32 secret, for typing into the app by hand; never shown again', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/example.com:alice%40example.com?issuer=example.com&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30' })
  otpauthUrl: string;

  @ApiProperty({ description: 'The otpauth URL as a QR code: a data: URL to put in an <img src>', example: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0i…' })
  qrCode: string;
}

export class TotpCodeDto {
  @ApiProperty({ description: 'The 6-digit code the authenticator app shows', example: '492039' })
  @IsString()
  @Length(6, 8)
  code: string;
}

export class PasswordConfirmationDto {
  @ApiPropertyOptional({ description: 'The current password (accounts without one: a sign-in within the last 5 minutes instead)', example: 'correct horse battery staple' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;
}

export class FactorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['totp', 'webauthn'] })
  type: string;

  @ApiProperty({ example: 'Phone (Aegis)' })
  name: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: string | null;
}

export class FactorListDto extends PageDto {
  @ApiProperty({ type: [FactorDto] })
  items: FactorDto[];

  @ApiProperty({ description: 'Unused recovery codes', example: 10 })
  recoveryCodesLeft: number;
}

export class ConfirmedFactorDto {
  @ApiProperty({ type: FactorDto })
  factor: FactorDto;

  @ApiProperty({ type: [String], description: 'When this is the first factor: 10 recovery codes, shown only now (else empty)', example: ['7K3M-Q9XD-2F8H', 'R4TN-0WVA-JC6P'] })
  recoveryCodes: string[];
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: '10 new single-use codes; the previous ones no longer work', example: ['7K3M-Q9XD-2F8H', 'R4TN-0WVA-JC6P'] })
  recoveryCodes: string[];
}

export class MfaVerifyDto {
  @ApiProperty({ description: 'From the 403 MFA_REQUIRED answer of the sign-in', example: 'mfa_Vt3nq0c2l1Yf8VxkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  mfaToken: string;

  @ApiProperty({ enum: ['totp', 'recovery_code'], example: 'totp' })
  @IsIn(['totp', 'recovery_code'])
  method: 'totp' | 'recovery_code';

  @ApiProperty({ description: 'The authenticator code, or a recovery code (any case, dashes and spaces ignored)', example: '492039' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;

  @ApiPropertyOptional({ description: 'The application of the sign-in, if the client wants it checked: an mfaToken is bound to the clientId its first step named (another → 401 MFA_TOKEN_INVALID)', example: 'default' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientId?: string;
}
