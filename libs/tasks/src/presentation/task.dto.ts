import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsTimestamp } from '@app/core';
import { PageQueryDto } from '@app/kernel';
import { TASK_PRIORITIES, TASK_STATUSES, TaskPriority, TaskStatus } from '../domain/task';
import { TASK_SORT_KEYS } from '../domain/task-query';

const NOT_BLANK = /\S/;
// Body fields that may be left out but not set to null use `ValidateIf(v !== undefined)` rather than
// `IsOptional()` (which lets null through to a NOT NULL column).
const SORTS = TASK_SORT_KEYS.flatMap((k) => [k, `-${k}`]);

export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Write the release notes' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiPropertyOptional({ enum: TASK_STATUSES, description: 'Default: todo' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, description: 'Default: medium' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(TASK_PRIORITIES)
  priority?: TaskPriority;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsTimestamp()
  dueAt?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'An existing user (else 400 ASSIGNEE_NOT_FOUND)' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;
}

/** PUT: the whole task; fields left out take their defaults (description, due date and assignee: none). */
export class ReplaceTaskDto extends CreateTaskDto {}

/** PATCH: only the fields given change; null clears description, due date or assignee. */
export class UpdateTaskDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiPropertyOptional({ enum: TASK_STATUSES, example: 'in_progress' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(TASK_PRIORITIES)
  priority?: TaskPriority;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsTimestamp()
  dueAt?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;
}

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive text in the title or description', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Due strictly before' })
  @IsOptional()
  @IsTimestamp()
  dueBefore?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Due strictly after' })
  @IsOptional()
  @IsTimestamp()
  dueAfter?: Date;

  @ApiPropertyOptional({
    enum: SORTS,
    default: '-createdAt',
    description: '`-` for descending; ties are broken by id. Tasks without a due date sort after every dated task ascending.',
  })
  @IsOptional()
  @IsIn(SORTS)
  sort?: string;
}
