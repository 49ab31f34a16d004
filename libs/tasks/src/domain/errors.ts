import { DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/core';

/** The task does not exist, or the caller may not see it (the two are indistinguishable on purpose). */
export class TaskNotFoundError extends NotFoundError {
  constructor() {
    super('TASK_NOT_FOUND', 'No such task');
  }
}

/** `If-Match` named another version than the current one (or a concurrent update won). */
export class VersionConflictError extends DomainError {
  constructor(current?: number) {
    super('precondition_failed', 'VERSION_CONFLICT', 'The task was changed by someone else; read it again and retry', {
      extensions: current === undefined ? undefined : { currentVersion: current },
    });
  }
}

export class AssigneeNotFoundError extends ValidationFailedError {
  constructor() {
    super('The assignee does not exist', [{ field: 'assigneeId', message: 'must be the id of an existing user' }], 'ASSIGNEE_NOT_FOUND');
  }
}

/** Visible but not changeable by the caller (e.g. an assignee changing anything but the status). */
export class TaskEditForbiddenError extends ForbiddenError {
  constructor(message = 'You may only change the status of this task') {
    super('TASK_EDIT_FORBIDDEN', message);
  }
}
