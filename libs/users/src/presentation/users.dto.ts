import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCharLength } from '@app/core';
import { PageDto, PageQueryDto } from '@app/kernel';
import { USERNAME_PATTERN } from '../domain/identifiers';
import { USER_STATUSES, UserStatus } from '../domain/user';
import { UserResponse } from './user.response';
import { UpdateMeDto } from './me.dto';

const USERNAME_MESSAGE = 'username must be 3–32 letters, digits, ".", "_" or "-", starting with a letter or digit';

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Substring of username, email, phone or name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Users holding a role of this name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  role?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Users holding a role of this application' })
  @IsOptional()
  @IsUUID()
  applicationId?: string;
}

export class UserListDto extends PageDto {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];
}

export class PhoneQueryDto {
  @ApiProperty({ example: '+4741234568', description: 'International format' })
  @IsString()
  @MinLength(3)
  @MaxLength(32)
  phone: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'grace_h' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'grace hopper wrote the first compiler' })
  @IsString()
  @IsCharLength(8, 128)
  password: string;

  @ApiPropertyOptional({ example: 'grace@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+4741234568' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ description: 'Mark the email as verified' })
  @IsOptional()
  @IsBoolean()
  emailVerified?: boolean;

  @ApiPropertyOptional({ description: 'Mark the phone as verified' })
  @IsOptional()
  @IsBoolean()
  phoneVerified?: boolean;

  @ApiPropertyOptional({ description: 'Create the account disabled' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

/** What an administrator may change: what a user may change of their own profile, plus verification marks and status. */
export class UpdateUserDto extends UpdateMeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  emailVerified?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  phoneVerified?: boolean;

  @ApiPropertyOptional({ enum: ['active', 'disabled'], example: 'active', description: '`disabled` ends every session and token of the user at once' })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}
