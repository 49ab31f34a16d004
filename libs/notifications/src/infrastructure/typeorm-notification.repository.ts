import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import type { NotificationRecord } from '../domain/notification';
import { NotificationFilter, NotificationRepository } from '../domain/ports';
import { NotificationEntity } from './notification.entity';

const toRecord = (e: NotificationEntity): NotificationRecord => ({
  id: e.id,
  channel: e.channel,
  template: e.template,
  recipient: e.recipient,
  status: e.status,
  attempts: e.attempts,
  lastError: e.lastError,
  createdAt: e.createdAt,
  sentAt: e.sentAt,
});

@Injectable()
export class TypeormNotificationRepository extends NotificationRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {
    super();
  }

  private get repo() {
    return this.uow.repository(NotificationEntity);
  }

  async create(record: { id: string; channel: NotificationRecord['channel']; template: NotificationRecord['template']; recipient: string }): Promise<void> {
    await this.repo.insert({ ...record, status: 'queued', attempts: 0 });
  }

  async claim(id: string, leaseSeconds: number): Promise<NotificationRecord | 'done' | 'busy'> {
    const now = this.clock.now();
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ attempts: () => 'attempts + 1', leasedUntil: new Date(now.getTime() + Math.floor(leaseSeconds) * 1000) })
      .where(`id = :id AND status = 'queued' AND (leased_until IS NULL OR leased_until < :now)`, { id, now })
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    if (raw) {
      return {
        id: raw.id as string,
        channel: raw.channel as NotificationRecord['channel'],
        template: raw.template as NotificationRecord['template'],
        recipient: raw.recipient as string,
        status: raw.status as NotificationRecord['status'],
        attempts: raw.attempts as number,
        lastError: raw.last_error as string | null,
        createdAt: raw.created_at as Date,
        sentAt: raw.sent_at as Date | null,
      };
    }
    const current = await this.repo.findOneBy({ id });
    if (!current || current.status !== 'queued') return 'done';
    return 'busy';
  }

  async markSent(id: string): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ status: 'sent', sentAt: this.clock.now(), leasedUntil: null })
      .where(`id = :id AND status = 'queued'`, { id })
      .execute();
  }

  async markAttemptFailed(id: string, error: string, final: boolean): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ lastError: error, leasedUntil: null, ...(final ? { status: 'failed' as const } : {}) })
      .where(`id = :id AND status = 'queued'`, { id })
      .execute();
  }

  async findById(id: string): Promise<NotificationRecord | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toRecord(e) : null;
  }

  async list(filter: NotificationFilter): Promise<NotificationRecord[]> {
    const qb = this.repo.createQueryBuilder('n').orderBy('n.created_at', 'DESC').addOrderBy('n.id', 'DESC').limit(filter.limit);
    if (filter.before) qb.andWhere('(n.created_at, n.id) < (:createdAt::timestamptz, :id::uuid)', filter.before);
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    if (filter.channel) qb.andWhere('n.channel = :channel', { channel: filter.channel });
    return (await qb.getMany()).map(toRecord);
  }
}
