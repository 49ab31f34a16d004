import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { notificationsConfig, NotificationsSettings } from '@app/core';
import { DatabaseServer, UnitOfWork } from '@app/persistence';
import { DeliverNotification } from '../application/deliver-notification';
import { DeliveryQueue } from '../domain/ports';

export const DELIVERY_QUEUE = 'notification-delivery';
const WORKERS = 2;

interface JobData {
  notificationId: string;
  sealed: string;
}

/**
 * The delivery queue: pg-boss 10 in the service's own Postgres (schema `pgboss`, created by a
 * migration, upgraded by pg-boss at start-up if a newer version needs it), started on application bootstrap with the database URL of
 * `DatabaseServer` (embedded Postgres included) and stopped — letting running deliveries finish —
 * before the database closes. Jobs are inserted through the ambient unit of work's connection, so
 * they commit or roll back with the change that caused them. Failed attempts are retried with
 * exponential backoff up to `NOTIFICATION_RETRY_LIMIT` times.
 */
@Injectable()
export class PgBossDeliveryQueue extends DeliveryQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryQueue');
  private boss?: PgBoss;
  private readonly workerIds: string[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly server: DatabaseServer,
    private readonly deliver: DeliverNotification,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsSettings,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = new PgBoss({
      connectionString: await this.server.url(),
      schema: 'pgboss',
      application_name: 'its-delivery-queue',
      max: 3,
      schedule: false,
      supervise: true,
      migrate: true,
    });
    boss.on('error', (error) => this.logger.error(`Queue error: ${error.message}`));
    await boss.start();
    const options = { name: DELIVERY_QUEUE, retryLimit: this.config.retryLimit, retryDelay: this.config.retryDelaySeconds, retryBackoff: true, expireInSeconds: 120 };
    await boss.createQueue(DELIVERY_QUEUE, options);
    await boss.updateQueue(DELIVERY_QUEUE, options);
    this.boss = boss;
    for (let i = 0; i < WORKERS; i++) {
      this.workerIds.push(
        await boss.work<JobData>(
          DELIVERY_QUEUE,
          { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.config.pollIntervalMs / 1000 },
          async ([job]) => {
            if (!job) return;
            await this.deliver.execute({ notificationId: job.data.notificationId, sealed: job.data.sealed, retryCount: job.retryCount, retryLimit: job.retryLimit });
          },
        ),
      );
    }
  }

  async enqueue(notificationId: string, sealedPayload: string): Promise<void> {
    const boss = this.boss;
    if (!boss) throw new Error('The delivery queue is not started');
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await this.uow.manager.query(text, values)) as unknown[] }) };
    const data: JobData = { notificationId, sealed: sealedPayload };
    await boss.send(DELIVERY_QUEUE, data, {
      id: notificationId,
      db,
      retryLimit: this.config.retryLimit,
      retryDelay: this.config.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: 120,
    });
    // Wake a local worker as soon as the job is visible instead of waiting for its next poll.
    await this.uow.afterCommit(() => {
      const id = this.workerIds[0];
      if (id) boss.notifyWorker(id);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    if (!boss) return;
    await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch((error: unknown) => this.logger.warn(`Queue stop: ${String(error)}`));
  }
}
