import { Module } from '@nestjs/common';
import { AuditLog } from './application/audit-log';
import { ListAuditEventsUseCase } from './application/list-audit-events.use-case';
import { AuditEventStore } from './domain/audit-event';
import { TypeormAuditEventStore } from './infrastructure/typeorm-audit-event.store';
import { AuditController } from './presentation/audit.controller';

/** The audit log: `AuditLog` for every feature that records events, and `GET /audit-events`. */
@Module({
  controllers: [AuditController],
  providers: [{ provide: AuditEventStore, useClass: TypeormAuditEventStore }, AuditLog, ListAuditEventsUseCase],
  exports: [AuditLog],
})
export class AuditModule {}
