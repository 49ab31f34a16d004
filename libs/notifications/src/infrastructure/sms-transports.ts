import { Inject, Injectable, Logger } from '@nestjs/common';
import { notificationsConfig, NotificationsSettings } from '@app/core';
import { SmsTransport } from '../domain/ports';

export class SmsProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}

/**
 * SMS through Twilio's REST API: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with HTTP basic
 * auth and the form fields To, From, Body. The base URL is configurable (`TWILIO_BASE_URL`), which is
 * how the tests put a real HTTP server in Twilio's place.
 */
@Injectable()
export class TwilioSmsTransport extends SmsTransport {
  constructor(@Inject(notificationsConfig.KEY) private readonly config: NotificationsSettings) {
    super();
  }

  async send(message: { to: string; body: string }): Promise<void> {
    const { accountSid, authToken, from, baseUrl } = this.config.twilio;
    if (!accountSid || !authToken || !from) throw new SmsProviderError('Twilio is not configured');
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ To: message.to, From: from, Body: message.body }).toString(),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new SmsProviderError(`Twilio unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) {
      let detail = '';
      try {
        const body = (await response.json()) as { code?: number; message?: string };
        detail = [body.code, body.message].filter((v) => v !== undefined).join(' ');
      } catch {
        // not JSON
      }
      throw new SmsProviderError(`Twilio answered ${response.status}${detail ? ` (${detail})` : ''}`, response.status);
    }
    await response.body?.cancel().catch(() => undefined);
  }
}

/** `SMS_PROVIDER=log` (development): the SMS is logged — recipient only, never the body. */
@Injectable()
export class LogSmsTransport extends SmsTransport {
  private readonly logger = new Logger('Sms');

  send(message: { to: string; body: string }): Promise<void> {
    this.logger.log(`SMS not sent (SMS_PROVIDER=log): to ${message.to}, ${message.body.length} characters`);
    return Promise.resolve();
  }
}
