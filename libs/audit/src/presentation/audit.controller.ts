import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/kernel';
import { CurrentActor } from '@app/kernel';
import { ApiErrors, Authenticated } from '@app/core';
import { ListAuditEventsUseCase } from '../application/list-audit-events.use-case';
import { AuditEventListDto, AuditQueryDto, toAuditEventDto } from './audit.dto';

@ApiTags('audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly events: ListAuditEventsUseCase) {}

  @Get()
  @Authenticated({ permission: 'audit:read' })
  @ApiOperation({ summary: 'Security-relevant events, newest first; filter by user, type and time' })
  @ApiOkResponse({ description: 'A page of audit events, newest first', type: AuditEventListDto })
  @ApiErrors('INVALID_CURSOR')
  async listAuditEvents(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto): Promise<AuditEventListDto> {
    const page = await this.events.execute(actor, {
      userId: query.userId,
      type: query.type,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items.map(toAuditEventDto), nextCursor: page.nextCursor };
  }
}
