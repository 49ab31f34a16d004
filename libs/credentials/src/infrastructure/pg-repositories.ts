import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/persistence';
import { Factor, FactorRepository, FactorType, MfaChallenge, MfaChallengeRepository, RecoveryCodeRepository, TotpFactor } from '../domain/factors';
import { Passkey, PasskeyRepository, WebauthnChallenge, WebauthnChallengeRepository, WebauthnPurpose } from '../domain/passkeys';

const FACTOR_COLUMNS = 'id, user_id, type, name, secret_box, confirmed_at, created_at, last_used_at';
interface FactorRow {
  id: string;
  user_id: string;
  type: FactorType;
  name: string;
  secret_box: Buffer | null;
  confirmed_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
}
const factorFromRow = (r: FactorRow): Factor => ({
  id: r.id,
  userId: r.user_id,
  type: r.type,
  name: r.name,
  confirmedAt: r.confirmed_at,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});
const totpFromRow = (r: FactorRow): TotpFactor => ({ ...factorFromRow(r), secretBox: r.secret_box ?? Buffer.alloc(0) });

@Injectable()
export class PgFactorRepository extends FactorRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async createPending(userId: string, type: FactorType, name: string, secretBox: Buffer): Promise<Factor> {
    const rows = await this.uow.rows<FactorRow>(
      `INSERT INTO mfa_factors (user_id, type, name, secret_box) VALUES ($1, $2, $3, $4) RETURNING ${FACTOR_COLUMNS}`,
      [userId, type, name, secretBox],
    );
    return factorFromRow(rows[0]);
  }

  async findTotp(userId: string, id: string): Promise<TotpFactor | null> {
    const rows = await this.uow.rows<FactorRow>(`SELECT ${FACTOR_COLUMNS} FROM mfa_factors WHERE id = $1 AND user_id = $2 AND type = 'totp'`, [id, userId]);
    return rows[0] ? totpFromRow(rows[0]) : null;
  }

  async confirmedTotp(userId: string): Promise<TotpFactor[]> {
    const rows = await this.uow.rows<FactorRow>(
      `SELECT ${FACTOR_COLUMNS} FROM mfa_factors WHERE user_id = $1 AND type = 'totp' AND confirmed_at IS NOT NULL ORDER BY created_at`,
      [userId],
      { prepare: true },
    );
    return rows.map(totpFromRow);
  }

  async confirm(id: string, step: number, at: Date): Promise<Factor | null> {
    const rows = await this.uow.rows<FactorRow>(
      `UPDATE mfa_factors SET confirmed_at = $2, last_step = $3, last_used_at = $2 WHERE id = $1 AND confirmed_at IS NULL RETURNING ${FACTOR_COLUMNS}`,
      [id, at, step],
    );
    return rows[0] ? factorFromRow(rows[0]) : null;
  }

  async acceptStep(id: string, step: number, at: Date): Promise<boolean> {
    const rows = await this.uow.rows<{ id: string }>(
      `UPDATE mfa_factors SET last_step = $2, last_used_at = $3 WHERE id = $1 AND confirmed_at IS NOT NULL AND last_step < $2 RETURNING id`,
      [id, step, at],
      { prepare: true },
    );
    return rows.length === 1;
  }

  async countConfirmed(userId: string): Promise<number> {
    const rows = await this.uow.rows<{ n: number }>(`SELECT count(*)::int AS n FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`, [userId]);
    return rows[0].n;
  }

  async confirmedTypes(userId: string, exceptId: string | null = null): Promise<FactorType[]> {
    const rows = await this.uow.rows<{ type: FactorType }>(
      `SELECT DISTINCT type FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL AND id IS DISTINCT FROM $2::uuid ORDER BY type DESC`,
      [userId, exceptId],
      { prepare: true },
    );
    return rows.map((r) => r.type);
  }

  async listConfirmed(userId: string, limit: number, after: [string, string] | null): Promise<Factor[]> {
    const params: unknown[] = [userId, limit];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = 'AND (created_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const rows = await this.uow.rows<FactorRow>(
      `SELECT ${FACTOR_COLUMNS} FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL ${keyset} ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
    return rows.map(factorFromRow);
  }

  async rename(userId: string, id: string, name: string): Promise<Factor | null> {
    const rows = await this.uow.rows<FactorRow>(`UPDATE mfa_factors SET name = $3 WHERE id = $1 AND user_id = $2 AND confirmed_at IS NOT NULL RETURNING ${FACTOR_COLUMNS}`, [id, userId, name]);
    return rows[0] ? factorFromRow(rows[0]) : null;
  }

  async remove(userId: string, id: string): Promise<Factor | null> {
    const rows = await this.uow.rows<FactorRow>(`DELETE FROM mfa_factors WHERE id = $1 AND user_id = $2 RETURNING ${FACTOR_COLUMNS}`, [id, userId]);
    return rows[0] ? factorFromRow(rows[0]) : null;
  }

  async removeAll(userId: string): Promise<number> {
    const rows = await this.uow.rows<{ id: string }>(`DELETE FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL RETURNING id`, [userId]);
    await this.uow.rows(`DELETE FROM mfa_factors WHERE user_id = $1`, [userId]);
    return rows.length;
  }
}

@Injectable()
export class PgRecoveryCodeRepository extends RecoveryCodeRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async replace(userId: string, hashes: Buffer[]): Promise<void> {
    await this.uow.rows(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [userId]);
    await this.uow.rows(`INSERT INTO mfa_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, [userId, hashes]);
  }

  async consume(userId: string, hash: Buffer, at: Date): Promise<boolean> {
    const rows = await this.uow.rows<{ user_id: string }>(
      `UPDATE mfa_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING user_id`,
      [userId, hash, at],
    );
    return rows.length === 1;
  }

  async countLeft(userId: string): Promise<number> {
    const rows = await this.uow.rows<{ n: number }>(`SELECT count(*)::int AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [userId]);
    return rows[0].n;
  }

  async removeAll(userId: string): Promise<void> {
    await this.uow.rows(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [userId]);
  }
}

@Injectable()
export class PgMfaChallengeRepository extends MfaChallengeRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async create(input: { tokenHash: Buffer; userId: string; clientId: string; amr: string[]; expiresAt: Date; firstFactorId?: string | null }): Promise<string> {
    const rows = await this.uow.rows<{ id: string }>(
      `INSERT INTO mfa_challenges (token_hash, user_id, client_id, amr, expires_at, first_factor_id) VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING id`,
      [input.tokenHash, input.userId, input.clientId, input.amr, input.expiresAt, input.firstFactorId ?? null],
      { prepare: true },
    );
    return rows[0].id;
  }

  async findLive(tokenHash: Buffer, now: Date): Promise<MfaChallenge | null> {
    const rows = await this.uow.rows<{ id: string; user_id: string; client_id: string; amr: string[]; attempts: number; first_factor_id: string | null }>(
      `SELECT id, user_id, client_id, amr, attempts, first_factor_id FROM mfa_challenges WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
      [tokenHash, now],
      { prepare: true },
    );
    const r = rows[0];
    return r ? { id: r.id, userId: r.user_id, clientId: r.client_id, amr: r.amr, attempts: r.attempts, firstFactorId: r.first_factor_id } : null;
  }

  async recordFailure(id: string, maxAttempts: number, now: Date): Promise<number | null> {
    const rows = await this.uow.rows<{ attempts: number }>(
      `UPDATE mfa_challenges SET attempts = attempts + 1, used_at = CASE WHEN attempts + 1 >= $2 THEN $3::timestamptz END
       WHERE id = $1 AND used_at IS NULL RETURNING attempts`,
      [id, maxAttempts, now],
    );
    return rows[0]?.attempts ?? null;
  }

  async consume(id: string, now: Date): Promise<boolean> {
    const rows = await this.uow.rows<{ id: string }>(`UPDATE mfa_challenges SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id`, [id, now]);
    return rows.length === 1;
  }
}

const PASSKEY_COLUMNS = `${FACTOR_COLUMNS}, credential_id, public_key, sign_count, transports`;
interface PasskeyRow extends FactorRow {
  credential_id: Buffer;
  public_key: Buffer;
  sign_count: string;
  transports: string[] | null;
}
const passkeyFromRow = (r: PasskeyRow): Passkey => ({
  ...factorFromRow(r),
  credentialId: r.credential_id,
  publicKey: r.public_key,
  signCount: Number(r.sign_count),
  transports: r.transports ?? [],
});

@Injectable()
export class PgPasskeyRepository extends PasskeyRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async add(userId: string, input: { name: string; credentialId: Buffer; publicKey: Buffer; signCount: number; transports: string[] }, at: Date): Promise<Factor | null> {
    const rows = await this.uow.rows<FactorRow>(
      `INSERT INTO mfa_factors (user_id, type, name, credential_id, public_key, sign_count, transports, confirmed_at)
       VALUES ($1, 'webauthn', $2, $3, $4, $5, $6::text[], $7)
       ON CONFLICT (credential_id) DO NOTHING RETURNING ${FACTOR_COLUMNS}`,
      [userId, input.name, input.credentialId, input.publicKey, input.signCount, input.transports, at],
    );
    return rows[0] ? factorFromRow(rows[0]) : null;
  }

  async forUser(userId: string): Promise<Passkey[]> {
    const rows = await this.uow.rows<PasskeyRow>(
      `SELECT ${PASSKEY_COLUMNS} FROM mfa_factors WHERE user_id = $1 AND type = 'webauthn' AND confirmed_at IS NOT NULL ORDER BY created_at`,
      [userId],
    );
    return rows.map(passkeyFromRow);
  }

  async findByCredentialId(credentialId: Buffer): Promise<Passkey | null> {
    const rows = await this.uow.rows<PasskeyRow>(
      `SELECT ${PASSKEY_COLUMNS} FROM mfa_factors WHERE credential_id = $1 AND type = 'webauthn' AND confirmed_at IS NOT NULL`,
      [credentialId],
      { prepare: true },
    );
    return rows[0] ? passkeyFromRow(rows[0]) : null;
  }

  async recordUse(id: string, signCount: number, at: Date): Promise<boolean> {
    const rows = await this.uow.rows<{ id: string }>(
      `UPDATE mfa_factors SET sign_count = $2, last_used_at = $3
        WHERE id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0)) RETURNING id`,
      [id, signCount, at],
      { prepare: true },
    );
    return rows.length === 1;
  }
}

interface WebauthnChallengeRow {
  id: string;
  challenge: string;
  purpose: WebauthnPurpose;
  user_id: string | null;
  mfa_challenge_id: string | null;
}

@Injectable()
export class PgWebauthnChallengeRepository extends WebauthnChallengeRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async create(input: { challenge: string; purpose: WebauthnPurpose; userId: string | null; mfaChallengeId: string | null; tokenHash: Buffer | null; expiresAt: Date }): Promise<void> {
    await this.uow.rows(
      `INSERT INTO webauthn_challenges (challenge, purpose, user_id, mfa_challenge_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [input.challenge, input.purpose, input.userId, input.mfaChallengeId, input.tokenHash, input.expiresAt],
      { prepare: true },
    );
  }

  async consumeRegistration(userId: string, challenge: string, now: Date): Promise<boolean> {
    const rows = await this.uow.rows<{ id: string }>(
      `UPDATE webauthn_challenges SET used_at = $3
        WHERE challenge = $2 AND user_id = $1 AND purpose = 'registration' AND used_at IS NULL AND expires_at > $3 RETURNING id`,
      [userId, challenge, now],
    );
    return rows.length === 1;
  }

  async consumeByToken(tokenHash: Buffer, now: Date): Promise<WebauthnChallenge | null> {
    const rows = await this.uow.rows<WebauthnChallengeRow>(
      `UPDATE webauthn_challenges SET used_at = $2
        WHERE token_hash = $1 AND purpose = 'authentication' AND used_at IS NULL AND expires_at > $2
        RETURNING id, challenge, purpose, user_id, mfa_challenge_id`,
      [tokenHash, now],
      { prepare: true },
    );
    const r = rows[0];
    return r ? { id: r.id, challenge: r.challenge, purpose: r.purpose, userId: r.user_id, mfaChallengeId: r.mfa_challenge_id } : null;
  }
}
