import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// The users lib's entity, by name: the foreign key is declared here, the table belongs to users.
const USER_ENTITY = 'UserEntity';
import type { TaskStatus } from '../domain/task';

export const FK_TASKS_ASSIGNEE = 'FK_tasks_assignee';

/**
 * Timestamps have millisecond precision, like the JavaScript dates and the keyset cursors built
 * from them: a cursor then names a row's value exactly.
 */
@Entity('tasks')
@Check('CHK_tasks_status', `"status" IN ('todo', 'in_progress', 'done', 'cancelled')`)
@Check('CHK_tasks_priority', `"priority" BETWEEN 0 AND 3`)
@Index('IDX_tasks_owner_created_id', ['ownerId', 'createdAt', 'id'])
@Index('IDX_tasks_owner_priority_id', ['ownerId', 'priority', 'id'])
@Index('IDX_tasks_assignee_created_id', ['assigneeId', 'createdAt', 'id'])
@Index('IDX_tasks_assignee_priority_id', ['assigneeId', 'priority', 'id'])
@Index('IDX_tasks_status', ['status'])
@Index('IDX_tasks_created_id', ['createdAt', 'id'])
@Index('IDX_tasks_priority_id', ['priority', 'id'])
// Hand-written in the migrations: the due-date sort/filter key, alone and after the owner or the
// assignee (tasks without a due date sort as `infinity`), and the trigram index behind `q`.
@Index('IDX_tasks_due_id', { synchronize: false })
@Index('IDX_tasks_owner_due_id', { synchronize: false })
@Index('IDX_tasks_assignee_due_id', { synchronize: false })
@Index('IDX_tasks_search_trgm', { synchronize: false })
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', default: 'todo' })
  status: TaskStatus;

  /** Rank 0 (low) … 3 (urgent), so that sorting follows urgency. */
  @Column({ type: 'smallint', default: 1 })
  priority: number;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  /** A user's tasks go with the account. */
  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_tasks_owner' })
  owner?: object;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  /** Tasks assigned to a deleted account become unassigned. */
  @ManyToOne(USER_ENTITY, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: FK_TASKS_ASSIGNEE })
  assignee?: object;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
