import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PgListener } from '@app/persistence';
import { TaskEvent } from '../domain/task-event';
import { EventNotice, PgTaskEventLog, TASK_EVENTS_CHANNEL } from './pg-task-event-log';
import { eventFromRow } from './task-rows';

export type TaskEventSubscriber = (event: TaskEvent) => void;

/**
 * Committed task events as they happen, on every instance: fed by NOTIFY from whichever instance
 * appended them to the log. Notices are handled one after another, so subscribers see events in
 * commit order even when some must be read back from the log.
 */
@Injectable()
export class TaskEventFeed implements OnApplicationBootstrap {
  private readonly logger = new Logger('TaskEventFeed');
  private readonly subscribers = new Set<TaskEventSubscriber>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly listener: PgListener,
    private readonly log: PgTaskEventLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.listen(TASK_EVENTS_CHANNEL, (payload) => {
      this.chain = this.chain.then(() => this.handle(payload)).catch((error: unknown) => this.logger.error(`delivery failed: ${String(error)}`));
    });
  }

  subscribe(subscriber: TaskEventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private async handle(payload: string): Promise<void> {
    let notice: EventNotice;
    try {
      notice = JSON.parse(payload) as EventNotice;
    } catch {
      this.logger.warn('Ignoring a malformed task event notice');
      return;
    }
    const events = notice.event ? [eventFromRow(notice.event)] : await this.log.byIds([notice.id]);
    for (const event of events) {
      for (const subscriber of this.subscribers) {
        try {
          subscriber(event);
        } catch (error) {
          this.logger.error(`subscriber failed: ${String(error)}`);
        }
      }
    }
  }
}
