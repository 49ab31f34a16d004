import { Module } from '@nestjs/common';
import { notificationsConfig, NotificationsSettings } from '@app/core';
import { DeliverNotification } from './application/deliver-notification';
import { ListNotificationsUseCase } from './application/list-notifications.use-case';
import { Notifier } from './application/notifier';
import { PayloadSealer } from './application/payload-sealer';
import { DeliveryQueue, EmailTransport, NotificationRepository, SmsTransport } from './domain/ports';
import { LogEmailTransport, SmtpEmailTransport } from './infrastructure/email-transports';
import { PgBossDeliveryQueue } from './infrastructure/pg-boss-delivery-queue';
import { LogSmsTransport, TwilioSmsTransport } from './infrastructure/sms-transports';
import { TypeormNotificationRepository } from './infrastructure/typeorm-notification.repository';
import { NotificationsController } from './presentation/notifications.controller';

/**
 * Email (SMTP, or the log when `SMTP_URL` is unset) and SMS (Twilio, or the log) behind ports, their
 * templates, the durable delivery queue and the notification log. Features inject `Notifier`.
 */
@Module({
  controllers: [NotificationsController],
  providers: [
    { provide: NotificationRepository, useClass: TypeormNotificationRepository },
    {
      provide: EmailTransport,
      inject: [notificationsConfig.KEY],
      useFactory: (config: NotificationsSettings) => (config.smtpUrl ? new SmtpEmailTransport(config) : new LogEmailTransport()),
    },
    {
      provide: SmsTransport,
      inject: [notificationsConfig.KEY],
      useFactory: (config: NotificationsSettings) => (config.smsProvider === 'twilio' ? new TwilioSmsTransport(config) : new LogSmsTransport()),
    },
    PgBossDeliveryQueue,
    { provide: DeliveryQueue, useExisting: PgBossDeliveryQueue },
    PayloadSealer,
    Notifier,
    DeliverNotification,
    ListNotificationsUseCase,
  ],
  exports: [Notifier],
})
export class NotificationsModule {}
