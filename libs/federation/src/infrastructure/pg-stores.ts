import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/persistence';
import type { Identity, IssuedCode, PendingFlow } from '../domain/model';
import { CodeStore, FlowStore, IdentityRepository } from '../domain/ports';

const IDENTITY_COLUMNS = `id, user_id, provider, subject, email, created_at`;
interface IdentityRow {
  id: string;
  user_id: string;
  provider: string;
  subject: string;
  email: string | null;
  created_at: Date;
}
const identityFromRow = (r: IdentityRow): Identity => ({ id: r.id, userId: r.user_id, provider: r.provider, subject: r.subject, email: r.email, createdAt: r.created_at });

@Injectable()
export class PgIdentityRepository extends IdentityRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async findBySubject(provider: string, subject: string): Promise<Identity | null> {
    const rows = await this.uow.rows<IdentityRow>(`SELECT ${IDENTITY_COLUMNS} FROM identities WHERE provider = $1 AND subject = $2`, [provider, subject], { prepare: true });
    return rows[0] ? identityFromRow(rows[0]) : null;
  }

  async lockForUser(userId: string): Promise<Identity[]> {
    const rows = await this.uow.rows<IdentityRow>(`SELECT ${IDENTITY_COLUMNS} FROM identities WHERE user_id = $1 ORDER BY created_at, id FOR UPDATE`, [userId]);
    return rows.map(identityFromRow);
  }

  async listForUser(userId: string, limit: number, after: [string, string] | null): Promise<(Identity & { cursorAt: string })[]> {
    const rows = await this.uow.rows<IdentityRow & { cursor_at: string }>(
      `SELECT ${IDENTITY_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM identities
        WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id
        LIMIT $4`,
      [userId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map((r) => ({ ...identityFromRow(r), cursorAt: r.cursor_at }));
  }

  async create(input: { userId: string; provider: string; subject: string; email: string | null; emailVerified: boolean }): Promise<Identity | null> {
    // ON CONFLICT DO NOTHING: a concurrent link of the same subject (or provider for this user) leaves
    // the transaction usable and answers null.
    const rows = await this.uow.rows<IdentityRow>(
      `INSERT INTO identities (user_id, provider, subject, email, email_verified, last_used_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT DO NOTHING RETURNING ${IDENTITY_COLUMNS}`,
      [input.userId, input.provider, input.subject, input.email, input.emailVerified],
    );
    return rows[0] ? identityFromRow(rows[0]) : null;
  }

  async touch(id: string, email: string | null, emailVerified: boolean, at: Date): Promise<void> {
    await this.uow.rows(`UPDATE identities SET email = $2, email_verified = $3, last_used_at = $4 WHERE id = $1`, [id, email, emailVerified, at]);
  }

  async delete(id: string): Promise<void> {
    await this.uow.rows(`DELETE FROM identities WHERE id = $1`, [id]);
  }
}

interface FlowRow {
  provider: string;
  purpose: 'sign_in' | 'link';
  client_id: string;
  redirect_uri: string;
  app_state: string | null;
  code_challenge: string | null;
  nonce: string;
  code_verifier: string;
  user_id: string | null;
  expires_at: Date;
}

@Injectable()
export class PgFlowStore extends FlowStore {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async save(stateHash: Buffer, flow: PendingFlow): Promise<void> {
    await this.uow.rows(
      `INSERT INTO provider_flows (state_hash, provider, purpose, client_id, redirect_uri, app_state, code_challenge, nonce, code_verifier, user_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [stateHash, flow.provider, flow.purpose, flow.clientId, flow.redirectUri, flow.appState, flow.codeChallenge, flow.nonce, flow.codeVerifier, flow.userId, flow.expiresAt],
    );
  }

  async consume(stateHash: Buffer, provider: string, now: Date): Promise<PendingFlow | null> {
    // One statement: of two callbacks with the same state, exactly one gets the flow.
    const rows = await this.uow.rows<FlowRow>(
      `UPDATE provider_flows SET used_at = $3
        WHERE state_hash = $1 AND provider = $2 AND used_at IS NULL AND expires_at > $3
        RETURNING provider, purpose, client_id, redirect_uri, app_state, code_challenge, nonce, code_verifier, user_id, expires_at`,
      [stateHash, provider, now],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      provider: r.provider,
      purpose: r.purpose,
      clientId: r.client_id,
      redirectUri: r.redirect_uri,
      appState: r.app_state,
      codeChallenge: r.code_challenge,
      nonce: r.nonce,
      codeVerifier: r.code_verifier,
      userId: r.user_id,
      expiresAt: r.expires_at,
    };
  }
}

interface CodeRow {
  user_id: string;
  provider: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  expires_at: Date;
}

@Injectable()
export class PgCodeStore extends CodeStore {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async save(codeHash: Buffer, code: IssuedCode): Promise<void> {
    await this.uow.rows(
      `INSERT INTO provider_codes (code_hash, user_id, provider, client_id, redirect_uri, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [codeHash, code.userId, code.provider, code.clientId, code.redirectUri, code.codeChallenge, code.expiresAt],
    );
  }

  async consume(codeHash: Buffer, now: Date): Promise<IssuedCode | null> {
    const rows = await this.uow.rows<CodeRow>(
      `UPDATE provider_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL
        RETURNING user_id, provider, client_id, redirect_uri, code_challenge, expires_at`,
      [codeHash, now],
    );
    const r = rows[0];
    return r ? { userId: r.user_id, provider: r.provider, clientId: r.client_id, redirectUri: r.redirect_uri, codeChallenge: r.code_challenge, expiresAt: r.expires_at } : null;
  }
}
