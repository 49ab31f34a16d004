import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Issued one-time codes, as keyed hashes. The newest row for a (channel, destination, purpose) is the
 * live one — a new request supersedes the previous code; rows are kept a day for the daily cap.
 */
@Entity('otp_codes')
@Check('CHK_otp_codes_channel', `"channel" IN ('sms', 'email')`)
@Check('CHK_otp_codes_purpose', `"purpose" IN ('register', 'login', 'verify', 'reset')`)
@Index('IDX_otp_codes_target', ['destination', 'channel', 'purpose', 'createdAt'])
@Index('IDX_otp_codes_destination_created', ['destination', 'createdAt'])
export class OtpCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'text' })
  destination: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ name: 'code_hash', type: 'bytea' })
  codeHash: Buffer;

  @Column({ name: 'failed_attempts', type: 'int', default: 0 })
  failedAttempts: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  /** Who asked for a recovery code (client address): recovery budgets are per requester. */
  @Column({ type: 'text', nullable: true })
  requester: string | null;
}

/**
 * Single-use tokens (emailed verification and reset links, verificationTokens from codes), stored as
 * SHA-256 hashes. A new token for the same purpose and subject replaces the older ones.
 */
@Entity('one_time_tokens')
@Index('IDX_one_time_tokens_subject', ['purpose', 'subject'])
@Index('IDX_one_time_tokens_expires', ['expiresAt'])
export class OneTimeTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  purpose: string;

  @Index('UQ_one_time_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  /** Whom it is for: a user id, or `channel:destination` for codes verified before an account exists. */
  @Column({ type: 'text' })
  subject: string;

  /** What it vouches for (the email address a link was sent to, …); checked again when used. */
  @Column({ type: 'text', nullable: true })
  target: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
