import type { FlowPurpose, Identity, IssuedCode, PendingFlow, ProviderInfo, ProviderProfile } from './model';

/** One configured provider: builds the redirect to it and turns its callback into a verified profile. */
export abstract class IdentityProvider {
  abstract readonly info: ProviderInfo;
  /** The provider's authorization URL for this flow (the service's own state, nonce and PKCE challenge). */
  abstract authorizationUrl(input: { redirectUri: string; state: string; nonce: string; codeChallenge: string }): Promise<string>;
  /**
   * Redeems the provider's code from `callbackUrl` (state, nonce, PKCE and — for OpenID Connect — the
   * ID token's issuer, audience, expiry, nonce and signature checked) and reads the profile. Throws
   * `ProviderFlowError` when the provider's answer is refused or it cannot be reached.
   */
  abstract complete(input: { callbackUrl: URL; redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<ProviderProfile>;
}

/** The providers of `AUTH_PROVIDERS`. */
export abstract class IdentityProviders {
  abstract list(): ProviderInfo[];
  abstract get(id: string): IdentityProvider | undefined;
}

/** Linked identities (table `identities`); in the ambient unit of work. */
export abstract class IdentityRepository {
  abstract findBySubject(provider: string, subject: string): Promise<Identity | null>;
  /** Every identity of the user, locked for the rest of the transaction. */
  abstract lockForUser(userId: string): Promise<Identity[]>;
  abstract listForUser(userId: string, limit: number, after: [string, string] | null): Promise<(Identity & { cursorAt: string })[]>;
  /** Null when the subject (or the user's identity of this provider) is already linked: a concurrent link won. */
  abstract create(input: { userId: string; provider: string; subject: string; email: string | null; emailVerified: boolean }): Promise<Identity | null>;
  abstract touch(id: string, email: string | null, emailVerified: boolean, at: Date): Promise<void>;
  abstract delete(id: string): Promise<void>;
}

/** Flows waiting for a provider's callback (table `provider_flows`): single use, short-lived. */
export abstract class FlowStore {
  abstract save(stateHash: Buffer, flow: PendingFlow & { purpose: FlowPurpose }): Promise<void>;
  /** Marks the flow used and returns it — or null when unknown, used or expired (at `now`). */
  abstract consume(stateHash: Buffer, provider: string, now: Date): Promise<PendingFlow | null>;
}

/** One-time codes for applications (table `provider_codes`). */
export abstract class CodeStore {
  abstract save(codeHash: Buffer, code: IssuedCode): Promise<void>;
  /** Marks the code used and returns it — or null when unknown or already used (expiry is the caller's check). */
  abstract consume(codeHash: Buffer, now: Date): Promise<IssuedCode | null>;
}
