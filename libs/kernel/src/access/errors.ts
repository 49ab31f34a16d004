import { ForbiddenError } from '@app/core';

/** An application admin reaching outside its application. */
export class OutsideApplicationError extends ForbiddenError {
  constructor() {
    super('OUTSIDE_APPLICATION', 'Your roles allow this only within your own application');
  }
}
