import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCharLength } from '@app/core';
import { OTP_CHANNELS, OTP_PURPOSES } from '@app/otp';
import type { OtpChannel, OtpPurpose } from '@app/otp';

export class OtpRequestDto {
  @ApiProperty({ enum: OTP_CHANNELS, example: 'sms' })
  @IsIn(OTP_CHANNELS)
  channel: OtpChannel;

  @ApiProperty({ example: '+4741234567', description: 'A phone number in international format (sms) or an email address (email)' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  destination: string;

  @ApiProperty({ enum: OTP_PURPOSES, example: 'verify' })
  @IsIn(OTP_PURPOSES)
  purpose: OtpPurpose;
}

export class OtpVerifyDto extends OtpRequestDto {
  @ApiProperty({ example: '123456', description: 'The six-digit code' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;

  @ApiPropertyOptional({ example: 'default', description: '`login` purpose: the application logging in (token audience and roles)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientId?: string;
}

export class OtpRequestedDto {
  @ApiProperty({ description: 'Seconds the code stays valid', example: 120 })
  expiresIn: number;

  @ApiProperty({ description: 'Seconds before another code may be requested for this destination', example: 60 })
  resendAfter: number;
}

export class VerificationTokenDto {
  @ApiProperty({ description: 'Single use, short-lived: `register` → the verificationToken of /auth/register; `reset` → the token of /auth/password/reset' })
  verificationToken: string;
}

export class EmailVerifyDto {
  @ApiProperty({ description: 'The token from the emailed link', example: 'Zm9yLWV4YW1wbGUtb25seS1ub3QtYS1yZWFsLXRva2Vu' })
  @IsString()
  @MaxLength(512)
  token: string;
}

/** The optional `redirectTo` of the email flows (forgot-password, email resend). */
class RedirectToField {
  @ApiPropertyOptional({
    example: 'https://app.example.com/signed-in',
    maxLength: 2048,
    description: 'Where the emailed link\'s page offers to send the user afterwards ("Continue to …"); must match REDIRECT_ALLOWLIST, else 400 REDIRECT_NOT_ALLOWED',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  redirectTo?: string;
}

export class ForgotPasswordDto extends RedirectToField {
  @ApiProperty({ example: 'ada@example.com', description: 'Username, email or phone number' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  login: string;
}

export class EmailResendDto extends RedirectToField {}

export class ResetPasswordDto {
  @ApiPropertyOptional({ description: 'From the emailed link, or the verificationToken of a verified `reset` code' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  token?: string;

  @ApiPropertyOptional({ example: 'ada@example.com', description: 'With `code`: username, email or phone number' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  login?: string;

  @ApiPropertyOptional({ example: '123456', description: 'With `login`: the six-digit code that was sent' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code?: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'a new horse, battery and staple' })
  @IsString()
  @IsCharLength(8, 128)
  newPassword: string;
}

/** The reset page's form (application/x-www-form-urlencoded); answered with an HTML page. */
export class ResetPasswordFormDto {
  @ApiProperty({ example: 'Zm9yLWV4YW1wbGUtb25seS1ub3QtYS1yZWFsLXRva2Vu' })
  token: string;

  @ApiPropertyOptional({ description: 'Carried over from the link; checked against REDIRECT_ALLOWLIST again' })
  redirectTo?: string;

  @ApiPropertyOptional({ description: 'The hidden username field (for password managers); ignored' })
  username?: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'a new horse, battery and staple' })
  newPassword: string;
}
