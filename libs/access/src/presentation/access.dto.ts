import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageDto, PageQueryDto } from '@app/kernel';
import type { Application, Role } from '../domain/roles';

const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const ROLE_NAME_MESSAGE = 'name must be 1–64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

export class PermissionDto {
  @ApiProperty({ example: 'tasks:read:own' })
  name: string;

  @ApiProperty({ example: 'Read own and assigned tasks' })
  description: string;
}

export class PermissionListDto extends PageDto {
  @ApiProperty({ type: [PermissionDto] })
  items: PermissionDto[];
}

export class RoleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'editor' })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: [String], example: ['tasks:read:any'] })
  permissions: string[];

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'System roles (admin, user) cannot be deleted' })
  system: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: a global role' })
  applicationId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class RoleListDto {
  @ApiProperty({ type: [RoleDto] })
  items: RoleDto[];
}

/** A page of roles (`GET /roles`). */
export class RolePageDto extends PageDto {
  @ApiProperty({ type: [RoleDto] })
  items: RoleDto[];
}

export class RoleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Only active (true) or inactive (false) roles' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class CreateRoleDto {
  @ApiProperty({ example: 'editor', description: 'Unique per application (case-insensitive)' })
  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_NAME_MESSAGE })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiProperty({ type: [String], example: ['tasks:read:any'], description: 'From `GET /permissions`' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  permissions: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Scope the role to one application; absent: global' })
  @IsOptional()
  @IsUUID()
  applicationId?: string | null;
}

/** `POST /roles` takes one role, or `{ items: [...] }` for many (all or nothing). */
export class CreateRolesDto {
  @ApiPropertyOptional({ example: 'editor' })
  @ValidateIf((o: CreateRolesDto) => o.items === undefined)
  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['tasks:read:any'] })
  @ValidateIf((o: CreateRolesDto) => o.items === undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  permissions?: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  applicationId?: string | null;

  @ApiPropertyOptional({ type: [CreateRoleDto], description: 'Many roles at once, in one transaction (instead of the fields above)' })
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CreateRoleDto)
  items?: CreateRoleDto[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional({ example: 'editor' })
  @IsOptional()
  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  permissions?: string[];
}

export class RoleStatusDto {
  @ApiProperty({ description: 'An inactive role grants nothing', example: true })
  @IsBoolean()
  active: boolean;
}

export class RolePermissionsItemDto {
  @ApiProperty({ format: 'uuid', example: '3f6c2a4e-8b1d-4c55-9e2a-7d1f0b9c6a21', description: 'The id of the role' })
  @IsUUID()
  roleId: string;

  @ApiProperty({ type: [String], example: ['tasks:read:any'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  permissions: string[];
}

export class SetRolePermissionsDto {
  @ApiProperty({ type: [RolePermissionsItemDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RolePermissionsItemDto)
  items: RolePermissionsItemDto[];
}

export class AssignRolesDto {
  @ApiProperty({ type: [String], example: ['user', 'editor'], description: 'Role names of the scope; replaces the user’s roles of that scope' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  roles: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The application whose roles are set; absent: the global roles' })
  @IsOptional()
  @IsUUID()
  applicationId?: string | null;
}

export class UserRolesQueryDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'The application whose roles are read; absent: the global roles' })
  @IsOptional()
  @IsUUID()
  applicationId?: string;
}

export class UserRolesDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  applicationId: string | null;

  @ApiProperty({ type: [RoleDto] })
  roles: RoleDto[];
}

export class ApplicationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'mobile-app' })
  clientId: string;

  @ApiProperty({ example: 'Mobile app' })
  name: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty()
  isDefault: boolean;

  @ApiProperty({ type: [String], example: ['https://app.example.com/auth/callback', 'com.example.app:/oauth2redirect'], description: 'Where a sign-in through an external provider may return to (matched exactly)' })
  redirectUris: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ApplicationListDto extends PageDto {
  @ApiProperty({ type: [ApplicationDto] })
  items: ApplicationDto[];
}

export class CreateApplicationDto {
  @ApiProperty({ example: 'mobile-app', description: 'The `clientId` used at login and as token audience' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'clientId must be 2–64 lower-case letters, digits, ".", "_" or "-"' })
  clientId: string;

  @ApiProperty({ example: 'Mobile app' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ description: 'Default true' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    example: ['https://app.example.com/auth/callback'],
    description: 'Exact redirect URIs for provider sign-in (https, http for local development, or a reverse-domain scheme such as `com.example.app:/callback` for mobile apps); no fragments. PATCH replaces the whole list.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  redirectUris?: string[];
}

export class UpdateApplicationDto {
  @ApiPropertyOptional({ example: 'Mobile app' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ description: 'An inactive application refuses logins and refreshes', example: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    example: ['https://app.example.com/auth/callback'],
    description: 'Exact redirect URIs for provider sign-in (https, http for local development, or a reverse-domain scheme such as `com.example.app:/callback` for mobile apps); no fragments. PATCH replaces the whole list.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  redirectUris?: string[];
}


export function toRoleDto(r: Role): RoleDto {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: [...r.permissions],
    active: r.active,
    system: r.system,
    applicationId: r.applicationId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toApplicationDto(a: Application): ApplicationDto {
  return { id: a.id, clientId: a.clientId, name: a.name, active: a.active, isDefault: a.isDefault, redirectUris: [...a.redirectUris], createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString() };
}
