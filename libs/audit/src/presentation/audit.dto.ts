import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { IsWithinDateRange } from '@app/core';
import { PageDto, PageQueryDto } from '@app/kernel';
import { AUDIT_EVENT_TYPES, AuditEvent, AuditEventType } from '../domain/audit-event';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Events done by this user or concerning them' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinDateRange()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinDateRange()
  to?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES })
  type: AuditEventType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who did it' })
  actorId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user, role or application concerned' })
  subjectId: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

export class AuditEventListDto extends PageDto {
  @ApiProperty({ type: [AuditEventDto] })
  items: AuditEventDto[];
}

export function toAuditEventDto(e: AuditEvent): AuditEventDto {
  return { id: e.id, type: e.type, actorId: e.actorId, subjectId: e.subjectId, ip: e.ip, userAgent: e.userAgent, at: e.at.toISOString(), data: e.data };
}
