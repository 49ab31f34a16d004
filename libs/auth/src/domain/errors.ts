import { DomainError, NotFoundError } from '@app/core';

export type TokenProblem = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED' | 'TOKEN_REUSED';

export class TokenError extends DomainError {
  constructor(code: TokenProblem, message: string) {
    super('unauthenticated', code, message);
  }
}

export const tokenInvalid = () => new TokenError('TOKEN_INVALID', 'The token is not valid');
export const tokenExpired = () => new TokenError('TOKEN_EXPIRED', 'The token has expired');
export const tokenRevoked = () => new TokenError('TOKEN_REVOKED', 'The token has been revoked');
export const tokenReused = () =>
  new TokenError('TOKEN_REUSED', 'This refresh token was already used; the session has been ended for safety');

export class SessionNotFoundError extends NotFoundError {
  constructor() {
    super('SESSION_NOT_FOUND', 'No such session');
  }
}

