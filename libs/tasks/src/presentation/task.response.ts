import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '@app/kernel';
import { EDITABLE_FIELDS, FieldChange, Task, TASK_PRIORITIES, TASK_STATUSES, TaskPriority, TaskStatus } from '../domain/task';
import { TASK_EVENT_TYPES, TaskEvent, TaskEventType } from '../domain/task-event';

export class TaskResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ enum: TASK_STATUSES })
  status: TaskStatus;

  @ApiProperty({ enum: TASK_PRIORITIES })
  priority: TaskPriority;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  dueAt: string | null;

  @ApiProperty({ format: 'uuid' })
  ownerId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId: string | null;

  @ApiProperty({ description: 'Increases with every change; the ETag is derived from it' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class TaskListResponse extends PageDto {
  @ApiProperty({ type: [TaskResponse] })
  items: TaskResponse[];
}

export class FieldChangeResponse {
  @ApiProperty({ enum: EDITABLE_FIELDS })
  field: string;

  @ApiProperty({ type: String, nullable: true, description: 'Old value as the API shows it' })
  from: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'New value as the API shows it' })
  to: string | null;
}

export class TaskEventResponse {
  @ApiProperty({ description: 'Monotonic event id (also what `resume { since }` takes)' })
  id: number;

  @ApiProperty({ enum: TASK_EVENT_TYPES })
  type: TaskEventType;

  @ApiProperty({ type: [FieldChangeResponse], description: 'Changed fields with old and new values (empty when created or deleted)' })
  changes: FieldChangeResponse[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who made the change (null once that account is deleted)' })
  actorId: string | null;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: TaskResponse, description: 'The task after the change (before it, for task.deleted)' })
  task: TaskResponse;
}

export class TaskHistoryResponse extends PageDto {
  @ApiProperty({ type: [TaskEventResponse] })
  items: TaskEventResponse[];
}

export function toTaskResponse(t: Task): TaskResponse {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    dueAt: t.dueAt?.toISOString() ?? null,
    ownerId: t.ownerId,
    assigneeId: t.assigneeId,
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

const toChange = (c: FieldChange): FieldChangeResponse => ({ field: c.field, from: c.from, to: c.to });

export function toTaskEventResponse(e: TaskEvent): TaskEventResponse {
  return { id: e.id, type: e.type, changes: e.changes.map(toChange), actorId: e.actorId, at: e.at.toISOString(), task: toTaskResponse(e.task) };
}

/** What Socket.IO clients receive: `{ eventId, task, changes?, by, at }` (API.md, Real-time). */
export interface TaskEventMessage {
  eventId: number;
  task: TaskResponse;
  changes?: FieldChangeResponse[];
  by: string | null;
  at: string;
}

export function toTaskEventMessage(e: TaskEvent): TaskEventMessage {
  return {
    eventId: e.id,
    task: toTaskResponse(e.task),
    ...(e.changes.length > 0 ? { changes: e.changes.map(toChange) } : {}),
    by: e.actorId,
    at: e.at.toISOString(),
  };
}
