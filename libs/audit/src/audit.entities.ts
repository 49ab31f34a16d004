import { AuditEventEntity } from './infrastructure/audit-event.entity';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const AUDIT_ENTITIES = [AuditEventEntity];
