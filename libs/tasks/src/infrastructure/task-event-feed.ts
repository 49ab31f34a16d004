import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PgListener } from '@app/persistence';
import { TaskEventStream, TaskEventSubscriber } from '../domain/ports';
import { TaskEvent } from '../domain/task-event';
import { EventNotice, PgTaskEventLog, TASK_EVENTS_CHANNEL } from './pg-task-event-log';
import { eventFromRow } from './task-rows';

/** How many recently delivered event ids are remembered (to deliver each event once after a catch-up). */
const REMEMBERED = 5000;
/** Most events delivered when catching up after the listener reconnected. */
const CATCH_UP_LIMIT = 1000;

/**
 * Committed task events as they happen, on every instance: fed by NOTIFY from whichever instance
 * appended them to the log. Notices are handled one after another, so subscribers see events in
 * commit order even when some must be read back from the log. Notifications sent while the listener
 * connection was down are lost; after it reconnects, the feed reads the events it missed from the log.
 */
@Injectable()
export class TaskEventFeed extends TaskEventStream implements OnApplicationBootstrap {
  private readonly logger = new Logger('TaskEventFeed');
  private readonly subscribers = new Set<TaskEventSubscriber>();
  private chain: Promise<void> = Promise.resolve();
  private readonly recent = new Set<number>();
  private lastId = 0;

  constructor(
    private readonly listener: PgListener,
    private readonly log: PgTaskEventLog,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.listen(TASK_EVENTS_CHANNEL, (payload) => this.enqueue(() => this.handle(payload)));
    this.listener.onResync(() => this.enqueue(() => this.catchUp()));
    this.lastId = Math.max(this.lastId, await this.log.lastId());
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((error: unknown) => this.logger.error(`delivery failed: ${String(error)}`));
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
    events.forEach((e) => this.deliver(e));
  }

  private async catchUp(): Promise<void> {
    const missed = await this.log.after(this.lastId, CATCH_UP_LIMIT);
    if (missed.length > 0) this.logger.log(`Delivering ${missed.length} task events missed while disconnected`);
    missed.forEach((e) => this.deliver(e));
  }

  private deliver(event: TaskEvent): void {
    if (this.recent.has(event.id)) return;
    this.recent.add(event.id);
    if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.values().next().value as number);
    this.lastId = Math.max(this.lastId, event.id);
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch (error) {
        this.logger.error(`subscriber failed: ${String(error)}`);
      }
    }
  }
}
