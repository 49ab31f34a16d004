import { FakeTwilio } from './fake-twilio';
import { TestSmtpServer } from './smtp';

export interface Messaging {
  smtp: TestSmtpServer;
  twilio: FakeTwilio;
  /** Env for startTestApp: real SMTP and Twilio-over-HTTP, short retry delays, generous per-IP limits. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const TWILIO = { sid: 'AC0123456789abcdef', token: 'twilio-test-token', from: '+15005550006' } as const;

/** Starts the in-process SMTP server and the Twilio stand-in, and the env that points the app at them. */
export async function startMessaging(): Promise<Messaging> {
  const smtp = new TestSmtpServer();
  const twilio = new FakeTwilio();
  await smtp.start();
  await twilio.start();
  return {
    smtp,
    twilio,
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Identity <no-reply@example.test>',
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: TWILIO.sid,
      TWILIO_AUTH_TOKEN: TWILIO.token,
      TWILIO_FROM: TWILIO.from,
      TWILIO_BASE_URL: twilio.baseUrl,
      NOTIFICATION_RETRY_DELAY: '1',
      NOTIFICATION_POLL_INTERVAL_MS: '500',
      AUTH_RATE_LIMIT: '10000',
    },
    stop: async () => {
      await smtp.stop();
      await twilio.stop();
    },
  };
}

/** A valid mobile number (Norway, +47 41…) that no other test in this process uses. */
const usedPhones = new Set<string>();
export function uniquePhone(): string {
  for (;;) {
    const phone = `+4741${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
  }
}
