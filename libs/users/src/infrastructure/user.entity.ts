import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { UserStatus } from '../domain/user';

@Entity('users')
@Check('CHK_users_status', `"status" IN ('pending', 'active', 'disabled')`)
// Case-insensitive uniqueness of usernames lives in an expression index (see the migration).
@Index('UQ_users_username_lower', { synchronize: false })
@Index('IDX_users_created_id', ['createdAt', 'id'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  username: string;

  /** Stored normalised (lower case), so a plain unique index suffices. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** E.164. */
  @Index('UQ_users_phone', { unique: true })
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Index('IDX_users_status')
  @Column({ type: 'text', default: 'pending' })
  status: UserStatus;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ name: 'phone_verified_at', type: 'timestamptz', nullable: true })
  phoneVerifiedAt: Date | null;

  /** A new address awaiting verification (not unique: it is nobody's until verified). */
  @Column({ name: 'pending_email', type: 'text', nullable: true })
  pendingEmail: string | null;

  /** Contact changes (new email or phone) in the current window, and when the window began. */
  @Column({ name: 'contact_changes', type: 'int', default: 0 })
  contactChanges: number;

  @Column({ name: 'contact_changes_since', type: 'timestamptz', nullable: true })
  contactChangesSince: Date | null;

  @Column({ name: 'avatar_key', type: 'text', nullable: true })
  avatarKey: string | null;

  @Column({ name: 'mfa_enabled', type: 'boolean', default: false })
  mfaEnabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
