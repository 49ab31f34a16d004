import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsCharLength } from '@app/core';
import { USERNAME_PATTERN } from '../domain/identifiers';

export class UpdateMeDto {
  @ApiPropertyOptional({ description: 'Not null; digits, dots and dashes alone are refused (400 USERNAME_LOOKS_LIKE_PHONE)' })
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3–32 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  username?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'A new address must be verified again; null removes it' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'A new number must be verified again; null removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Ada' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string | null;
}

export class DeleteMeDto {
  @ApiProperty({ description: 'The current password, to confirm', example: 'correct horse battery staple' })
  @IsString()
  @IsCharLength(1, 128)
  password: string;
}
