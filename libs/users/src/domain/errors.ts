import { ConflictError, NotFoundError, RateLimitedError } from '@app/core';

/** Too many new email addresses or phone numbers asked for today (per user). */
export class ContactChangeLimitError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('CONTACT_CHANGE_LIMIT', 'Too many email or phone changes today; try again later', retryAfterSeconds);
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('USER_NOT_FOUND', 'No such user');
  }
}

export class IdentifierTakenError extends ConflictError {
  constructor(fields: string[]) {
    super(
      fields.length === 1 ? `${fields[0].toUpperCase()}_TAKEN` : 'IDENTIFIER_TAKEN',
      `Already in use: ${fields.join(', ')}`,
      { extensions: { fields } },
    );
  }
}
