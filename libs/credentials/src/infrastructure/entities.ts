import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

// The users lib's entity, by name: the foreign key is declared here, the table belongs to users.
const USER_ENTITY = 'UserEntity';

/** Second factors: TOTP authenticators (secret sealed) and passkeys. Pending until confirmed. */
@Entity('mfa_factors')
@Index('IDX_mfa_factors_user', ['userId', 'createdAt'])
export class MfaFactorEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_mfa_factors' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_mfa_factors_user' })
  user?: object;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  name: string;

  /** AES-256-GCM sealed TOTP secret (nonce ‖ ciphertext ‖ tag). */
  @Column({ name: 'secret_box', type: 'bytea', nullable: true })
  secretBox: Buffer | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  /** The last TOTP time step accepted: a code is accepted once. */
  @Column({ name: 'last_step', type: 'bigint', default: 0 })
  lastStep: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** Passkeys: the WebAuthn credential id (one credential belongs to one account). */
  @Index('UQ_mfa_factors_credential', { unique: true })
  @Column({ name: 'credential_id', type: 'bytea', nullable: true })
  credentialId: Buffer | null;

  /** Passkeys: the COSE public key from the registration. */
  @Column({ name: 'public_key', type: 'bytea', nullable: true })
  publicKey: Buffer | null;

  /** Passkeys: the last signature counter seen (0 for authenticators that keep none). */
  @Column({ name: 'sign_count', type: 'bigint', default: 0 })
  signCount: string;

  @Column({ type: 'text', array: true, nullable: true })
  transports: string[] | null;
}

/** Recovery codes, HMAC-SHA256 hashed (keyed from APP_SECRET); single use. */
@Entity('mfa_recovery_codes')
export class MfaRecoveryCodeEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_mfa_recovery_codes' })
  userId: string;

  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_mfa_recovery_codes_user' })
  user?: object;

  @PrimaryColumn({ name: 'code_hash', type: 'bytea', primaryKeyConstraintName: 'PK_mfa_recovery_codes' })
  codeHash: Buffer;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}

/** The pending second step of a sign-in; only the mfaToken's hash is stored. */
@Entity('mfa_challenges')
@Index('IDX_mfa_challenges_expires', ['expiresAt'])
export class MfaChallengeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_mfa_challenges' })
  id: string;

  @Index('UQ_mfa_challenges_token', { unique: true })
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_mfa_challenges_user' })
  user?: object;

  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ type: 'text', array: true })
  amr: string[];

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The factor that was the first step (a passkey without user verification), which cannot be the second. */
  @Column({ name: 'first_factor_id', type: 'uuid', nullable: true })
  firstFactorId: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** Set when the sign-in finished or the token died of wrong codes. */
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A WebAuthn challenge handed out: single use, short-lived, bound to its purpose (`registration`,
 * `authentication`), to the user (registration, second factor) and to the mfaToken (second factor).
 * Authentication challenges are found by the SHA-256 of their challengeToken.
 */
@Entity('webauthn_challenges')
@Index('IDX_webauthn_challenges_expires', ['expiresAt'])
export class WebauthnChallengeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webauthn_challenges' })
  id: string;

  /** base64url, as in the options and the client's clientDataJSON. */
  @Index('UQ_webauthn_challenges_challenge', { unique: true })
  @Column({ type: 'text' })
  challenge: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(USER_ENTITY, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_webauthn_challenges_user' })
  user?: object;

  @Column({ name: 'mfa_challenge_id', type: 'uuid', nullable: true })
  mfaChallengeId: string | null;

  @ManyToOne(() => MfaChallengeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mfa_challenge_id', foreignKeyConstraintName: 'FK_webauthn_challenges_mfa_challenge' })
  mfaChallenge?: MfaChallengeEntity;

  @Index('UQ_webauthn_challenges_token', { unique: true })
  @Column({ name: 'token_hash', type: 'bytea', nullable: true })
  tokenHash: Buffer | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}


/** Consecutive login failures per account (or per unknown login name), shared by all instances. */
@Entity('login_failures')
export class LoginFailureEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int', default: 0 })
  failures: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_failed_at', type: 'timestamptz', default: () => 'now()' })
  lastFailedAt: Date;
}
