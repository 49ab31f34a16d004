import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { notificationsConfig, NotificationsSettings } from '@app/core';
import { EmailMessage, EmailTransport } from '../domain/ports';

/** Email over SMTP (`SMTP_URL`) with nodemailer; a message counts as sent once the server accepted it. */
@Injectable()
export class SmtpEmailTransport extends EmailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;

  constructor(@Inject(notificationsConfig.KEY) private readonly config: NotificationsSettings) {
    super();
    if (!config.smtpUrl) throw new Error('SMTP_URL is not set');
    // Short timeouts: an attempt must end well within the delivery lease; the queue retries.
    this.transporter = createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transporter.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
    });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/**
 * Without `SMTP_URL`: emails are written to the log instead of sent — who, which subject, never the
 * body (codes and links are secrets). Use a test destination or a local SMTP catcher in development.
 */
@Injectable()
export class LogEmailTransport extends EmailTransport {
  private readonly logger = new Logger('Email');

  send(message: EmailMessage): Promise<void> {
    this.logger.log(`Email not sent (SMTP_URL is not set): to ${message.to}, subject "${message.subject.replace(/\d{6}/g, '******')}"`);
    return Promise.resolve();
  }
}
