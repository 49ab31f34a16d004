import { DomainError } from '@app/core';
import type { Factor } from './factors';

/** A registered passkey: a confirmed second factor of type `webauthn` with its WebAuthn credential. */
export interface Passkey extends Factor {
  credentialId: Buffer;
  /** COSE public key, as registered. */
  publicKey: Buffer;
  /** The last signature counter seen; 0 for authenticators that keep none. */
  signCount: number;
  transports: string[];
}

export type WebauthnPurpose = 'registration' | 'authentication';

/** A challenge handed out for one WebAuthn ceremony (single use, short-lived). */
export interface WebauthnChallenge {
  id: string;
  /** base64url of 32 random bytes, as in the options and in the client's clientDataJSON. */
  challenge: string;
  purpose: WebauthnPurpose;
  /** Registration: the signed-in user; authentication as a second factor: the mfaToken's user. */
  userId: string | null;
  /** Authentication as a second factor: the pending sign-in (mfa_challenges) it belongs to. */
  mfaChallengeId: string | null;
}

/**
 * The credential JSON a browser's `PublicKeyCredential.toJSON()` produces (RegistrationResponseJSON or
 * AuthenticationResponseJSON), already checked for shape by the DTO; verified by `WebAuthn`.
 */
export interface CredentialJson {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; userHandle?: string } & Record<string, unknown>;
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: string;
}

export abstract class PasskeyRepository {
  /** Stores a confirmed passkey factor; null when the credential id is already registered (to anyone). */
  abstract add(userId: string, input: { name: string; credentialId: Buffer; publicKey: Buffer; signCount: number; transports: string[] }, at: Date): Promise<Factor | null>;
  abstract forUser(userId: string): Promise<Passkey[]>;
  abstract findByCredentialId(credentialId: Buffer): Promise<Passkey | null>;
  /**
   * Records a verified assertion (atomic): true when the signature counter went up, or when the
   * authenticator keeps no counter (stored and presented both 0); false for a counter that did not
   * increase — a cloned authenticator, or a replay.
   */
  abstract recordUse(id: string, signCount: number, at: Date): Promise<boolean>;
}

export abstract class WebauthnChallengeRepository {
  abstract create(input: { challenge: string; purpose: WebauthnPurpose; userId: string | null; mfaChallengeId: string | null; tokenHash: Buffer | null; expiresAt: Date }): Promise<void>;
  /** Uses up the user's live registration challenge with this value (atomic); false when there is none. */
  abstract consumeRegistration(userId: string, challenge: string, now: Date): Promise<boolean>;
  /** Uses up the live authentication challenge of this challengeToken hash (atomic); null when there is none. */
  abstract consumeByToken(tokenHash: Buffer, now: Date): Promise<WebauthnChallenge | null>;
}

export interface RegisteredCredential {
  credentialId: Buffer;
  publicKey: Buffer;
  signCount: number;
  transports: string[];
  userVerified: boolean;
}

export interface VerifiedAssertion {
  signCount: number;
  userVerified: boolean;
}

/**
 * WebAuthn ceremonies behind a port (`@simplewebauthn/server` in infrastructure): options for the
 * browser, and verification of what it answers against the expected challenge, the relying party
 * (WEBAUTHN_RP_ID) and the accepted origins (WEBAUTHN_ORIGINS). Verification failures throw
 * `WebauthnRejectedError`.
 */
export abstract class WebAuthn {
  abstract registrationOptions(input: {
    userId: string;
    userName: string;
    displayName: string;
    challenge: string;
    exclude: Pick<Passkey, 'credentialId' | 'transports'>[];
    timeoutSeconds: number;
  }): Promise<Record<string, unknown>>;
  abstract verifyRegistration(credential: CredentialJson, expectedChallenge: string): Promise<RegisteredCredential>;
  /** `allow` absent: a discoverable-credential (usernameless) sign-in. */
  abstract authenticationOptions(input: { challenge: string; allow?: Pick<Passkey, 'credentialId' | 'transports'>[]; timeoutSeconds: number }): Promise<Record<string, unknown>>;
  /** Checks signature, challenge, origin, RP ID hash, user presence, and the user handle when the authenticator sent one. */
  abstract verifyAuthentication(credential: CredentialJson, expectedChallenge: string, passkey: Passkey): Promise<VerifiedAssertion>;
  /** The challenge a credential's clientDataJSON names, or null when it is not readable. */
  abstract challengeOf(credential: CredentialJson): string | null;
  /** The WebAuthn user handle of an account (its id's 16 bytes). */
  abstract userHandle(userId: string): string;
}

/** What the WebAuthn verification refused (the reason is logged and audited, never answered). */
export class WebauthnRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WebauthnRejectedError';
  }
}

/**
 * A passkey response that is not accepted: bad or replayed registration (400), or an authentication
 * with an unknown credential, a bad signature, a wrong origin or RP, a used or expired challenge, or a
 * counter that went backwards (401). One code whatever the reason: nothing is revealed to the caller.
 */
export class PasskeyInvalidError extends DomainError {
  constructor(kind: 'invalid' | 'unauthenticated') {
    super(kind, 'PASSKEY_INVALID', kind === 'invalid' ? 'The passkey registration is not valid; request new options and try again' : 'The passkey is not accepted; request new options and try again');
  }
}
