import { ConflictError, DomainError, NotFoundError, UnavailableError, ValidationFailedError } from '@app/core';

export class ProviderNotFoundError extends NotFoundError {
  constructor() {
    super('PROVIDER_NOT_FOUND', 'No such identity provider');
  }
}

/** Unknown or inactive client, or a redirect URI it did not register: answered with an error page, never a redirect. */
export class RedirectUriInvalidError extends ValidationFailedError {
  constructor(message = 'The client is unknown or this redirect_uri is not registered for it') {
    super(message, [{ field: 'redirect_uri', message: 'must be registered for client_id (exact match)' }], 'REDIRECT_URI_INVALID');
  }
}

export class PkceRequiredError extends ValidationFailedError {
  constructor() {
    super('PKCE is required: code_challenge (43–128 characters of base64url) with code_challenge_method=S256', [{ field: 'code_challenge', message: 'S256 code challenge required' }], 'PKCE_REQUIRED');
  }
}

/** A callback whose `state` is unknown, expired or already used (a replay): no redirect. */
export class ProviderStateInvalidError extends DomainError {
  constructor() {
    super('invalid', 'PROVIDER_STATE_INVALID', 'This sign-in link is unknown, expired or was already used; start again from the application');
  }
}

export class ProviderUnavailableError extends UnavailableError {
  constructor(provider: string) {
    super('PROVIDER_UNAVAILABLE', `The identity provider "${provider}" cannot be reached; try again later`, 5);
  }
}

export class IdentityNotFoundError extends NotFoundError {
  constructor() {
    super('IDENTITY_NOT_FOUND', 'No identity of this provider is linked to your account');
  }
}

export class LastSignInMethodError extends ConflictError {
  constructor() {
    super('LAST_SIGN_IN_METHOD', 'This is the only way left to sign in to your account; set a password or link another provider first');
  }
}

/**
 * Why the provider leg failed, told to the application as the `error` of its redirect (OAuth 2.0
 * error codes, plus `account_exists`, `identity_in_use`, `provider_already_linked`).
 */
export type FlowErrorCode = 'access_denied' | 'server_error' | 'temporarily_unavailable' | 'account_exists' | 'identity_in_use' | 'provider_already_linked';

export class ProviderFlowError extends Error {
  constructor(
    readonly error: FlowErrorCode,
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = 'ProviderFlowError';
  }
}
