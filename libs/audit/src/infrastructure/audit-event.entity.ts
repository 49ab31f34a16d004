import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One audit event. No foreign keys on purpose: the log outlives the users, roles and applications it
 * mentions.
 */
@Entity('audit_events')
@Index('IDX_audit_events_at_id', ['at', 'id'])
@Index('IDX_audit_events_actor_at', ['actorId', 'at'])
@Index('IDX_audit_events_subject_at', ['subjectId', 'at'])
@Index('IDX_audit_events_type_at', ['type', 'at'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;
}
