import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '@app/persistence';
import type { OutgoingMessage } from '../domain/notification';
import { DeliveryQueue, NotificationRepository } from '../domain/ports';
import { PayloadSealer } from './payload-sealer';

export interface SealedPayload {
  channel: OutgoingMessage['channel'];
  to: string;
  template: OutgoingMessage['template'];
  data: OutgoingMessage['data'];
}

/**
 * What features call to send a message: records it and enqueues its delivery in the caller's unit
 * of work, so a change that rolls back sends nothing and a committed one is delivered even if the
 * process stops right after. Returns the notification id.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly records: NotificationRepository,
    private readonly queue: DeliveryQueue,
    private readonly sealer: PayloadSealer,
  ) {}

  send(message: OutgoingMessage): Promise<string> {
    return this.uow.run(async () => {
      const id = randomUUID();
      await this.records.create({ id, channel: message.channel, template: message.template, recipient: message.to });
      const payload: SealedPayload = { channel: message.channel, to: message.to, template: message.template, data: message.data };
      await this.queue.enqueue(id, this.sealer.seal(payload));
      return id;
    });
  }
}
