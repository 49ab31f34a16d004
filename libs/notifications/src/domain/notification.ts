export type Channel = 'email' | 'sms';
export const CHANNELS: readonly Channel[] = ['email', 'sms'];

export type NotificationStatus = 'queued' | 'sent' | 'failed';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['queued', 'sent', 'failed'];

export type OtpPurpose = 'register' | 'login' | 'verify' | 'reset';

/** What each template needs. Secrets (codes, links with tokens) travel sealed, never in the record. */
export interface TemplateData {
  email_verification: { link: string; hours: number };
  otp: { code: string; purpose: OtpPurpose; minutes: number };
  password_reset: { link: string; code: string; minutes: number; linkMinutes: number };
  password_changed: { at: string };
  account_locked: { minutes: number };
  mfa_factor_added: { name: string; at: string };
  mfa_factor_removed: { name: string; at: string };
  mfa_recovery_code_used: { left: number; at: string };
  identity_linked: { provider: string; at: string };
}

export type TemplateName = keyof TemplateData;
export const TEMPLATE_NAMES: readonly TemplateName[] = ['email_verification', 'otp', 'password_reset', 'password_changed', 'account_locked', 'mfa_factor_added', 'mfa_factor_removed', 'mfa_recovery_code_used', 'identity_linked'];

export type OutgoingMessage = {
  [T in TemplateName]: { channel: Channel; to: string; template: T; data: TemplateData[T] };
}[TemplateName];

/** One message's delivery record: what was sent to whom and how it went — never its contents. */
export interface NotificationRecord {
  id: string;
  channel: Channel;
  template: TemplateName;
  recipient: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}
