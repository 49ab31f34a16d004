export type ProviderType = 'oidc' | 'github';

/** What the public list of providers shows. */
export interface ProviderInfo {
  id: string;
  name: string;
  type: ProviderType;
}

/** Who the provider says signed in: its stable subject and what it asserts about them. */
export interface ProviderProfile {
  subject: string;
  /** Lower-cased; null when the provider shares none. */
  email: string | null;
  /** True only when the provider asserts the address verified. */
  emailVerified: boolean;
  /** A login name the provider knows them by (GitHub login, `preferred_username`), a hint for ours. */
  username: string | null;
  givenName: string | null;
  familyName: string | null;
  name: string | null;
}

/** An external identity linked to an account: one per provider subject, one per provider and user. */
export interface Identity {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
  createdAt: Date;
}

export type FlowPurpose = 'sign_in' | 'link';

/** A sign-in (or link) waiting for the provider's callback, found by the hash of the service's `state`. */
export interface PendingFlow {
  provider: string;
  purpose: FlowPurpose;
  clientId: string;
  redirectUri: string;
  /** The application's own `state`, returned to it unchanged. */
  appState: string | null;
  /** The application's PKCE S256 challenge (sign-in only). */
  codeChallenge: string | null;
  /** The service's own `nonce` and PKCE verifier for the provider. */
  nonce: string;
  codeVerifier: string;
  /** The signed-in user (link only). */
  userId: string | null;
  expiresAt: Date;
}

/** A one-time code handed to an application (only its hash is stored). */
export interface IssuedCode {
  userId: string;
  provider: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: Date;
}
