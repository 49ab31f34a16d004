import { ConflictError, NotFoundError } from '@app/core';

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
