import type { DomainError } from '@app/core';
import type { OtpTarget } from './otp';

export interface IssuedCode {
  /** The code itself: for the message only, never for a response or a log. */
  code: string;
  expiresIn: number;
  resendAfter: number;
  /** A fixed code of a test destination (OTP_TEST_DESTINATIONS): nothing should be sent. */
  testDestination: boolean;
}

export type CodeCheck = { ok: true } | { ok: false; error: DomainError };

/**
 * One-time codes: issue (cooldown, daily cap, supersede) and check (expiry, attempts, single use).
 * Both take part in the ambient unit of work; `check` reports a failure instead of throwing, so the
 * caller can commit the counted attempt and then throw.
 */
export abstract class OneTimeCodes {
  /**
   * Throws OTP_RESEND_TOO_SOON / OTP_DAILY_LIMIT (429). The daily limit of a destination is two
   * budgets: recovery (`reset`), counted per `requester` (the client's address), and the other
   * purposes together.
   */
  abstract issue(target: OtpTarget, options?: { requester?: string | null }): Promise<IssuedCode>;
  abstract check(target: OtpTarget, code: string): Promise<CodeCheck>;
  /** Closes any live code for these targets (after a password reset, …). */
  abstract invalidate(targets: OtpTarget[]): Promise<void>;
}

export interface TokenRecord {
  id: string;
  purpose: string;
  subject: string;
  target: string | null;
  expiresAt: Date;
}

/** Single-use tokens of at least 256 bits, stored hashed; a newer one for a purpose and subject replaces older ones. */
export abstract class OneTimeTokens {
  abstract issue(input: { purpose: string; subject: string; target: string | null; ttlSeconds: number }): Promise<string>;
  /** The live token, without using it; throws VERIFICATION_TOKEN_INVALID / _EXPIRED. */
  abstract peek(purpose: string, token: string): Promise<TokenRecord>;
  /** Uses the token (once); throws VERIFICATION_TOKEN_INVALID / _EXPIRED. */
  abstract consume(purpose: string, token: string): Promise<TokenRecord>;
  abstract revokeAll(purpose: string, subject: string): Promise<void>;
}
