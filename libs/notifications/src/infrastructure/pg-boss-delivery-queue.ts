import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { notificationsConfig, NotificationsSettings, ProcessRole } from '@app/core';
import { DatabaseServer, UnitOfWork } from '@app/persistence';
import { DeliverNotification } from '../application/deliver-notification';
import { DeliveryQueue } from '../domain/ports';

export const DELIVERY_QUEUE = 'notification-delivery';
/** Where pg-boss moves a delivery job that failed for good (however it failed). */
export const DELIVERY_DEAD_LETTERS = 'notification-delivery-failed';
const WORKERS = 2;

interface JobData {
  notificationId: string;
  sealed: string;
}

/** Why pg-boss failed a job: a handler's error, or its own expiry (`{ value: { message } }`). */
function failureOf(output: unknown): string {
  const o = (output ?? {}) as { message?: unknown; value?: { message?: unknown } };
  const message = typeof o.message === 'string' ? o.message : typeof o.value?.message === 'string' ? o.value.message : 'unknown';
  return message.slice(0, 300);
}

/**
 * The delivery queue: pg-boss 10 in the service's own Postgres (schema `pgboss`, created by a
 * migration, upgraded by pg-boss at start-up if a newer version needs it), started on application bootstrap with the database URL of
 * `DatabaseServer` (embedded Postgres included) and stopped — letting running deliveries finish —
 * before the database closes. Jobs are inserted through the ambient unit of work's connection, so
 * they commit or roll back with the change that caused them. Failed attempts are retried with
 * exponential backoff up to `NOTIFICATION_RETRY_LIMIT` times. An attempt may run for
 * `NOTIFICATION_ATTEMPT_TIMEOUT` seconds; then pg-boss fails it (retrying if it may). A job that
 * fails for good goes to a dead-letter queue whose worker marks a record still `queued` failed, with
 * pg-boss's reason — so a message whose last attempt hung (or whose worker died) never stays queued.
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
    private readonly role: ProcessRole,
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
      // A one-shot command (the CLI) only enqueues: no maintenance, no workers (the service delivers).
      supervise: this.role.longRunning,
      migrate: true,
    });
    boss.on('error', (error) => this.logger.error(`Queue error: ${error.message}`));
    await boss.start();
    const expireInSeconds = this.config.attemptTimeoutSeconds;
    const deadLetters = { name: DELIVERY_DEAD_LETTERS, retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 };
    await boss.createQueue(DELIVERY_DEAD_LETTERS, deadLetters);
    await boss.updateQueue(DELIVERY_DEAD_LETTERS, deadLetters);
    const options = {
      name: DELIVERY_QUEUE,
      retryLimit: this.config.retryLimit,
      retryDelay: this.config.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds,
      deadLetter: DELIVERY_DEAD_LETTERS,
    };
    await boss.createQueue(DELIVERY_QUEUE, options);
    await boss.updateQueue(DELIVERY_QUEUE, options);
    this.boss = boss;
    if (!this.role.longRunning) return;
    for (let i = 0; i < WORKERS; i++) {
      this.workerIds.push(
        await boss.work<JobData>(
          DELIVERY_QUEUE,
          { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.config.pollIntervalMs / 1000 },
          async ([job]) => {
            if (!job) return;
            await this.deliver.execute({
              notificationId: job.data.notificationId,
              sealed: job.data.sealed,
              retryCount: job.retryCount,
              retryLimit: job.retryLimit,
              leaseSeconds: expireInSeconds,
            });
          },
        ),
      );
    }
    // Not in workerIds: those are the delivery workers (woken after an enqueue).
    await boss.work<JobData>(
      DELIVERY_DEAD_LETTERS,
      { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.config.pollIntervalMs / 1000 },
      async ([job]) => {
        if (!job) return;
        await this.deliver.giveUp(job.data.notificationId, `the queue gave up: ${failureOf(job.output)} (attempts may run ${expireInSeconds} s)`);
      },
    );
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
      expireInSeconds: this.config.attemptTimeoutSeconds,
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
