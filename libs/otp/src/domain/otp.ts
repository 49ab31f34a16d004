import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DomainError, RateLimitedError } from '@app/core';

export type OtpChannel = 'sms' | 'email';
export type OtpPurpose = 'register' | 'login' | 'verify' | 'reset';
export const OTP_CHANNELS: readonly OtpChannel[] = ['sms', 'email'];
export const OTP_PURPOSES: readonly OtpPurpose[] = ['register', 'login', 'verify', 'reset'];

/** What a code is bound to: it only ever verifies for the same channel, destination and purpose. */
/** Purpose of the single-use token a verified `register` code returns (consumed by registration). */
export const REGISTER_TOKEN_PURPOSE = 'otp_register';

/** `register` tokens are bound to the channel and destination that were proven. */
export const registerSubject = (channel: OtpChannel, destination: string) => `${channel}:${destination}`;

export interface OtpTarget {
  channel: OtpChannel;
  /** Normalised: E.164 for SMS, lower case for email. */
  destination: string;
  purpose: OtpPurpose;
}

/** Six digits, uniformly from a CSPRNG. */
export function newOtpCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** HMAC-SHA256 under the server key over the binding and the code: a database alone reveals nothing. */
export function hashOtp(key: Buffer, target: OtpTarget, code: string): Buffer {
  return createHmac('sha256', key).update(`${target.purpose}\u0000${target.channel}\u0000${target.destination}\u0000${code}`).digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class OtpInvalidError extends DomainError {
  constructor(attemptsLeft?: number) {
    super('invalid', 'OTP_INVALID', 'The code is not valid', attemptsLeft === undefined ? {} : { extensions: { attemptsLeft } });
  }
}

export class OtpExpiredError extends DomainError {
  constructor() {
    super('invalid', 'OTP_EXPIRED', 'The code has expired; request a new one');
  }
}

export class OtpLockedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('OTP_LOCKED', 'Too many wrong codes; request a new one', retryAfterSeconds);
  }
}

export class OtpResendTooSoonError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('OTP_RESEND_TOO_SOON', 'A code was sent moments ago; wait before asking for another', retryAfterSeconds);
  }
}

export class OtpDailyLimitError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('OTP_DAILY_LIMIT', 'Too many codes were sent to this destination today', retryAfterSeconds);
  }
}

/** A one-time token (emailed link, verificationToken, reset token) that is unknown, used or superseded. */
export class VerificationTokenInvalidError extends DomainError {
  constructor() {
    super('invalid', 'VERIFICATION_TOKEN_INVALID', 'The token is not valid (unknown, already used or replaced by a newer one)');
  }
}

export class VerificationTokenExpiredError extends DomainError {
  constructor() {
    super('invalid', 'VERIFICATION_TOKEN_EXPIRED', 'The token has expired');
  }
}
