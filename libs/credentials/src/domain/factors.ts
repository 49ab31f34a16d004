import { DomainError, NotFoundError, ConflictError } from '@app/core';

export type FactorType = 'totp' | 'webauthn';
export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery_code';

/** A second factor; pending (not usable) until confirmed. The sealed secret never leaves the lib. */
export interface Factor {
  id: string;
  userId: string;
  type: FactorType;
  name: string;
  confirmedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface TotpFactor extends Factor {
  secretBox: Buffer;
}

/** The pending second step of one sign-in: who, with which first factor, for which application. */
export interface MfaChallenge {
  id: string;
  userId: string;
  clientId: string;
  amr: string[];
  attempts: number;
  /** The factor that was the first step (a passkey without user verification), which cannot be the second. */
  firstFactorId: string | null;
}

export abstract class FactorRepository {
  abstract createPending(userId: string, type: FactorType, name: string, secretBox: Buffer): Promise<Factor>;
  abstract findTotp(userId: string, id: string): Promise<TotpFactor | null>;
  abstract confirmedTotp(userId: string): Promise<TotpFactor[]>;
  /** Confirms a pending factor, remembering the step it was confirmed with; false when it was not pending. */
  abstract confirm(id: string, step: number, at: Date): Promise<Factor | null>;
  /** Accepts `step` for the factor only if no later or equal step was accepted before (atomic). */
  abstract acceptStep(id: string, step: number, at: Date): Promise<boolean>;
  abstract countConfirmed(userId: string): Promise<number>;
  /** Types of the user's confirmed factors, leaving out `exceptId` (the first step's factor). */
  abstract confirmedTypes(userId: string, exceptId?: string | null): Promise<FactorType[]>;
  /** Confirmed factors, newest first, keyset-paged on (createdAt, id). */
  abstract listConfirmed(userId: string, limit: number, after: [string, string] | null): Promise<Factor[]>;
  abstract rename(userId: string, id: string, name: string): Promise<Factor | null>;
  abstract remove(userId: string, id: string): Promise<Factor | null>;
  abstract removeAll(userId: string): Promise<number>;
}

export abstract class RecoveryCodeRepository {
  /** Replaces every code of the user with these hashes. */
  abstract replace(userId: string, hashes: Buffer[]): Promise<void>;
  /** Marks the code used if it is the user's and unused (atomic); true when this call used it. */
  abstract consume(userId: string, hash: Buffer, at: Date): Promise<boolean>;
  abstract countLeft(userId: string): Promise<number>;
  abstract removeAll(userId: string): Promise<void>;
}

export abstract class MfaChallengeRepository {
  abstract create(input: { tokenHash: Buffer; userId: string; clientId: string; amr: string[]; expiresAt: Date; firstFactorId?: string | null }): Promise<string>;
  /** A challenge that is neither used, dead nor expired. */
  abstract findLive(tokenHash: Buffer, now: Date): Promise<MfaChallenge | null>;
  /** Counts a wrong code; the challenge dies at `maxAttempts`. Returns the attempts so far (null: it was no longer live). */
  abstract recordFailure(id: string, maxAttempts: number, now: Date): Promise<number | null>;
  /** Uses the challenge up (atomic): true for exactly one caller. */
  abstract consume(id: string, now: Date): Promise<boolean>;
}

/** TOTP (RFC 6238) behind a port: the library stays in infrastructure. */
export abstract class TotpAlgorithm {
  /** A new random secret, base32. */
  abstract newSecret(): string;
  /** The time step the code matches (the current one, one before or one after), or null. */
  abstract matchingStep(secret: string, code: string, nowMs: number): number | null;
  abstract otpauthUrl(secret: string, issuer: string, account: string): string;
  abstract qrCode(url: string): Promise<string>;
}

/** Seals secrets at rest (AES-256-GCM, key derived from APP_SECRET). */
export abstract class SecretBox {
  abstract seal(plain: string): Buffer;
  abstract open(box: Buffer): string;
}

export class MfaCodeInvalidError extends DomainError {
  constructor(attemptsLeft?: number) {
    super('invalid', 'MFA_CODE_INVALID', 'The code is not valid', attemptsLeft === undefined ? {} : { extensions: { attemptsLeft } });
  }
}

export class MfaTokenInvalidError extends DomainError {
  constructor() {
    super('unauthenticated', 'MFA_TOKEN_INVALID', 'The mfaToken is unknown, expired or used; sign in again');
  }
}

export class MfaNotEnabledError extends ConflictError {
  constructor() {
    super('MFA_NOT_ENABLED', 'Two-factor authentication is not on for this account');
  }
}

export class FactorNotFoundError extends NotFoundError {
  constructor() {
    super('FACTOR_NOT_FOUND', 'No such factor');
  }
}

export class ReauthenticationRequiredError extends DomainError {
  constructor() {
    super('forbidden', 'REAUTHENTICATION_REQUIRED', 'This account has no password: sign in again (within 5 minutes) to do this');
  }
}

export class MethodNotAvailableError extends DomainError {
  constructor() {
    super('invalid', 'MFA_METHOD_NOT_AVAILABLE', 'This method is not available for this account');
  }
}
