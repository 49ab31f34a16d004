import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

// The users lib's entity, by name: the foreign key is declared here, the table belongs to users.
const USER_ENTITY = 'UserEntity';

@Entity('sessions')
@Index('IDX_sessions_user_created_id', ['userId', 'createdAt', 'id'])
@Index('IDX_sessions_expires', ['expiresAt'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: object;

  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoke_reason', type: 'text', nullable: true })
  revokeReason: string | null;

  /** RFC 8176 authentication methods of the sign-in that opened the session. */
  @Column({ type: 'text', array: true, default: () => "'{pwd}'" })
  amr: string[];
}

@Entity('refresh_tokens')
@Index('IDX_refresh_tokens_session', ['sessionId'])
@Index('IDX_refresh_tokens_expires', ['expiresAt'])
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => SessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: SessionEntity;

  /** SHA-256 of the token; the token itself is never stored. */
  @Index('UQ_refresh_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  /** The successor token, encrypted under a key derived from this token (grace-window replies). */
  @Column({ name: 'successor_box', type: 'bytea', nullable: true })
  successorBox: Buffer | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

/**
 * Revoked sessions and users, kept until every access token they could have had has expired. Each
 * instance holds the live ones in memory (loaded at start, fed by NOTIFY).
 */
@Entity('revocations')
@Check('CHK_revocations_kind', `"kind" IN ('session', 'user')`)
@Index('IDX_revocations_expires', ['expiresAt'])
export class RevocationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  kind: 'session' | 'user';

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** Tokens issued before this instant are refused. */
  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
