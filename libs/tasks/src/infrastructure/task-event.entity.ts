import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

// The users lib's entity, by name: the foreign key is declared here, the table belongs to users.
const USER_ENTITY = 'UserEntity';
import type { FieldChange } from '../domain/task';
import type { TaskEventType } from '../domain/task-event';

/** Snapshot of a task as stored in an event (the API shape: ISO dates, priority by name). */
export interface TaskSnapshot {
  id: string;
  title: string;
  description: string | null;
  status: string;
  priority: string;
  dueAt: string | null;
  ownerId: string;
  assigneeId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The task event log. No foreign key to `tasks` (a deleted task keeps its history and its
 * `task.deleted` event), but one to the owner: the history goes with the owner's account. A task
 * deleted without the use cases (the cascade of its owner's deletion) gets its `task.deleted` event
 * from the `task_deleted_event` trigger (migration TaskDeletedByCascade), with no owner.
 */
@Entity('task_events')
@Index('IDX_task_events_task_id', ['taskId', 'id'])
@Index('IDX_task_events_created', ['createdAt'])
@Index('IDX_task_events_owner', ['ownerId'])
// Hand-written in the migration: GIN over `audience`, for `resume` of one user's events.
@Index('IDX_task_events_audience', { synchronize: false })
export class TaskEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ type: 'text' })
  type: TaskEventType;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(USER_ENTITY, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'FK_task_events_actor' })
  actor?: object;

  /** Null on the `task.deleted` event of a task whose owner's account was deleted. */
  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_task_events_owner' })
  owner?: object;

  @Column({ type: 'uuid', array: true })
  audience: string[];

  @Column({ type: 'jsonb' })
  changes: FieldChange[];

  @Column({ type: 'jsonb' })
  task: TaskSnapshot;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
