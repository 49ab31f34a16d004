import { DomainError, RateLimitedError, UnavailableError, ValidationFailedError } from '@app/core';

/** Wrong login or password — identical for unknown logins, so accounts cannot be enumerated. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('unauthenticated', 'INVALID_CREDENTIALS', 'The login or password is wrong');
  }
}

export class LoginLockedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('LOGIN_LOCKED', 'Too many failed attempts; try again later', retryAfterSeconds);
  }
}

export class AccountDisabledError extends DomainError {
  constructor() {
    super('forbidden', 'ACCOUNT_DISABLED', 'This account is disabled');
  }
}

export class PasswordTooWeakError extends ValidationFailedError {
  constructor(reason: string) {
    super(reason, [{ field: 'password', message: reason }], 'PASSWORD_TOO_WEAK');
  }
}

export class UnknownClientError extends DomainError {
  constructor() {
    super('invalid', 'UNKNOWN_CLIENT', 'Unknown or inactive clientId');
  }
}

/** More logins are waiting for the password hasher than it can serve quickly: shed, don't queue. */
export class LoginBusyError extends UnavailableError {
  constructor(retryAfterSeconds = 1) {
    super('LOGIN_BUSY', 'Too many logins in progress; retry shortly', retryAfterSeconds);
  }
}

/** The first factor was right; a second one is needed (`POST /auth/mfa/verify` with the mfaToken). */
export class MfaRequiredError extends DomainError {
  constructor(readonly mfaToken: string, readonly methods: string[]) {
    super('forbidden', 'MFA_REQUIRED', 'A second factor is required to finish signing in', { extensions: { mfaToken, methods } });
  }
}

/** The `authorization_code` grant failed: wrong client, redirect URI or verifier, or a used or expired code. */
export class AuthorizationCodeInvalidError extends DomainError {
  constructor() {
    super('invalid', 'INVALID_GRANT', 'The code is unknown, used or expired, or the client, redirect URI or verifier does not match');
  }
}
