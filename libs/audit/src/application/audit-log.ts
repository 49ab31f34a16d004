import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { AuditEvent, AuditEventStore, AuditInput } from '../domain/audit-event';

/**
 * The audit log's one entry point for the rest of the service.
 *
 * `record()` writes in the ambient unit of work, so an event is committed if and only if the change it
 * describes is: call it inside the same `uow.run(...)` as the change. For an event that must stick even
 * though the request then fails (a failed login, a detected token reuse), call it outside any
 * transaction or use `recordNow()`, which commits on its own.
 *
 * ```ts
 * await this.uow.run(async () => {
 *   await this.users.update(user.id, { passwordHash });
 *   await this.audit.record({ type: 'password.reset', actorId: null, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent });
 * });
 * ```
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: AuditEventStore,
    private readonly clock: Clock,
  ) {}

  /** Appends an event in the current unit of work (or on its own when there is none). */
  record(input: AuditInput): Promise<AuditEvent> {
    return this.store.append({
      type: input.type,
      actorId: input.actorId ?? null,
      subjectId: input.subjectId ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      at: this.clock.now(),
      data: input.data ?? {},
    });
  }

  /** Appends an event in a transaction of its own, committed whatever happens to the caller's. */
  recordNow(input: AuditInput): Promise<AuditEvent> {
    return this.uow.outside(() => this.uow.run(() => this.record(input)));
  }
}
