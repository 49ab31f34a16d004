/**
 * What kind of failure a domain error is. Domain code says *what* went wrong; the HTTP layer alone
 * decides which status that becomes (see problem-details.filter.ts).
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  /** Extra members written into the problem document (e.g. `attemptsLeft`). Never put secrets here. */
  extensions?: Record<string, unknown>;
  /** Seconds after which a retry may succeed; becomes `Retry-After`. */
  retryAfterSeconds?: number;
  errors?: FieldError[];
  cause?: unknown;
}

/** Base of every error a use case may raise on purpose. `code` is stable and documented. */
export class DomainError extends Error {
  readonly extensions?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;
  readonly errors?: FieldError[];

  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.extensions = options.extensions;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.errors = options.errors;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, errors: FieldError[] = [], code = 'VALIDATION_FAILED') {
    super('invalid', code, message, { errors });
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super('not_found', code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('conflict', code, message, options);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(code = 'UNAUTHENTICATED', message = 'Authentication is required') {
    super('unauthenticated', code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code = 'FORBIDDEN', message = 'You are not allowed to do this') {
    super('forbidden', code, message);
  }
}

export class RateLimitedError extends DomainError {
  constructor(code: string, message: string, retryAfterSeconds: number, extensions?: Record<string, unknown>) {
    super('rate_limited', code, message, { retryAfterSeconds, extensions });
  }
}

export class UnavailableError extends DomainError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super('unavailable', code, message, { retryAfterSeconds });
  }
}

/** A password given to confirm a sensitive action (change, deletion, two-factor changes) is wrong. */
export class InvalidCurrentPasswordError extends DomainError {
  constructor() {
    super('invalid', 'INVALID_CURRENT_PASSWORD', 'The current password is wrong');
  }
}
