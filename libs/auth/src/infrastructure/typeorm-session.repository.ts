import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { UnitOfWork } from '@app/persistence';
import { SessionPageQuery, SessionRepository, StoredRefreshToken } from '../domain/ports';
import { Session } from '../domain/session';
import { RefreshTokenEntity, SessionEntity } from './entities';

const SESSION_COLUMNS = 'id, user_id, client_id, ip, user_agent, created_at, last_used_at, expires_at, revoked_at, amr';
interface SessionRow {
  id: string;
  user_id: string;
  client_id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  amr: string[];
}
const sessionFromRow = (r: SessionRow): Session => ({
  id: r.id,
  userId: r.user_id,
  clientId: r.client_id,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  amr: r.amr,
});

const TOKEN_COLUMNS = 'id, session_id, expires_at, rotated_at, revoked_at, successor_box';
interface TokenRow {
  id: string;
  session_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  successor_box: Buffer | null;
}
const tokenFromRow = (r: TokenRow): StoredRefreshToken => ({
  id: r.id,
  sessionId: r.session_id,
  expiresAt: r.expires_at,
  rotatedAt: r.rotated_at,
  revokedAt: r.revoked_at,
  successorBox: r.successor_box,
});

/** Sessions and refresh tokens; the statements of login and refresh are plain SQL (hot paths). */
@Injectable()
export class TypeormSessionRepository extends SessionRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  private get sessions() {
    return this.uow.repository(SessionEntity);
  }

  private get tokens() {
    return this.uow.repository(RefreshTokenEntity);
  }

  /** A new session and its first refresh token, in one statement (a login's hot path). */
  async open(session: Omit<Session, 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>, firstToken: { hash: Buffer; expiresAt: Date }): Promise<Session> {
    const rows = await this.uow.rows<{ id: string; created_at: Date; last_used_at: Date }>(
      `WITH s AS (
         INSERT INTO sessions (user_id, client_id, ip, user_agent, expires_at, amr) VALUES ($1, $2, $3, $4, $5, $8::text[])
         RETURNING id, created_at, last_used_at
       ), t AS (
         INSERT INTO refresh_tokens (session_id, token_hash, expires_at, parent_id) SELECT id, $6, $7, NULL FROM s
       )
       SELECT id, created_at, last_used_at FROM s`,
      [session.userId, session.clientId, session.ip, session.userAgent, session.expiresAt, firstToken.hash, firstToken.expiresAt, session.amr],
      { prepare: true },
    );
    const row = rows[0];
    return { ...session, id: row.id, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: null };
  }


  async findForUpdate(id: string): Promise<Session | null> {
    const rows = await this.uow.rows<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1 FOR UPDATE`, [id], { prepare: true });
    return rows[0] ? sessionFromRow(rows[0]) : null;
  }

  async findById(id: string): Promise<Session | null> {
    const rows = await this.uow.rows<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id], { prepare: true });
    return rows[0] ? sessionFromRow(rows[0]) : null;
  }

  async listActive(userId: string, now: Date, page: SessionPageQuery): Promise<(Session & { cursorAt: string })[]> {
    // Newest first on (user_id, created_at, id); `cursor_at` keeps created_at's microseconds.
    const params: unknown[] = [userId, now, page.limit];
    const p = (value: unknown) => `$${params.push(value)}`;
    const clients = page.clientIds ? `AND client_id = ANY(${p([...page.clientIds])}::text[])` : '';
    const after = page.after ? `AND (created_at, id) < (${p(page.after.createdAt)}::timestamptz, ${p(page.after.id)}::uuid)` : '';
    const rows = await this.uow.rows<SessionRow & { cursor_at: string }>(
      `SELECT ${SESSION_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM sessions
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ${clients} ${after}
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      params,
      { prepare: true },
    );
    return rows.map((r) => ({ ...sessionFromRow(r), cursorAt: r.cursor_at }));
  }

  async revoke(ids: string[], at: Date, reason: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const result = await this.sessions
      .createQueryBuilder()
      .update()
      .set({ revokedAt: at, revokeReason: reason })
      .where({ id: In(ids), revokedAt: IsNull() })
      .returning(['id'])
      .execute();
    const revoked = (result.raw as { id: string }[]).map((r) => r.id);
    if (revoked.length > 0) await this.tokens.update({ sessionId: In(revoked), revokedAt: IsNull() }, { revokedAt: at });
    return revoked;
  }

  async activeIds(userId: string, exceptId?: string): Promise<string[]> {
    const qb = this.sessions.createQueryBuilder('s').select('s.id', 'id').where('s.user_id = :userId AND s.revoked_at IS NULL', { userId });
    if (exceptId) qb.andWhere('s.id <> :exceptId', { exceptId });
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  }

  async findRefreshTokenForUpdate(hash: Buffer): Promise<StoredRefreshToken | null> {
    const rows = await this.uow.rows<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [hash], { prepare: true });
    return rows[0] ? tokenFromRow(rows[0]) : null;
  }

  async findRefreshToken(hash: Buffer): Promise<StoredRefreshToken | null> {
    const rows = await this.uow.rows<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM refresh_tokens WHERE token_hash = $1`, [hash], { prepare: true });
    return rows[0] ? tokenFromRow(rows[0]) : null;
  }

  /** Three writes in one statement (atomic; one round trip instead of three). */
  async rotate(presented: { id: string; sessionId: string; successorBox: Buffer }, successor: { hash: Buffer; expiresAt: Date }, at: Date): Promise<void> {
    await this.uow.rows(
      `WITH rotated AS (
         UPDATE refresh_tokens SET rotated_at = $2, successor_box = $3 WHERE id = $1
       ), stored AS (
         INSERT INTO refresh_tokens (session_id, token_hash, expires_at, parent_id) VALUES ($4, $5, $6, $1)
       )
       UPDATE sessions SET last_used_at = $2 WHERE id = $4`,
      [presented.id, at, presented.successorBox, presented.sessionId, successor.hash, successor.expiresAt],
      { prepare: true },
    );
  }
}
