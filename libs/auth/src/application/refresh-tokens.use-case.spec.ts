import type { AccessCatalog, ApplicationView, RoleAssignments } from '@app/access';
import type { AuthSettings } from '@app/core';
import type { User, UserRepository } from '@app/users';
import { TestClock } from '../../../../test/support/clock';
import { inlineUnitOfWork, recordingAudit } from '../../../../test/support/fakes';
import { AccessTokens, SessionRepository, StoredRefreshToken } from '../domain/ports';
import type { Session } from '../domain/session';
import { RefreshTokensUseCase } from './refresh-tokens.use-case';
import { SessionIssuer } from './session-issuer';
import type { SessionRevoker } from './session-revoker';

const key = (hash: Buffer) => hash.toString('hex');

/** Sessions and refresh tokens in memory, with the repository's contract (rotation writes both rows). */
class MemorySessions {
  readonly sessions = new Map<string, Session>();
  readonly tokens = new Map<string, StoredRefreshToken>();
  private next = 0;

  async open(session: Omit<Session, 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>, first: { hash: Buffer; expiresAt: Date }) {
    const id = `s${++this.next}`;
    const stored: Session = { ...session, id, createdAt: new Date(), lastUsedAt: new Date(), revokedAt: null };
    this.sessions.set(id, stored);
    this.tokens.set(key(first.hash), { id: `t${++this.next}`, sessionId: id, expiresAt: first.expiresAt, rotatedAt: null, revokedAt: null, successorBox: null });
    return stored;
  }
  async findForUpdate(id: string) {
    return this.sessions.get(id) ?? null;
  }
  async findById(id: string) {
    return this.sessions.get(id) ?? null;
  }
  async findRefreshToken(hash: Buffer) {
    return this.tokens.get(key(hash)) ?? null;
  }
  async findRefreshTokenForUpdate(hash: Buffer) {
    return this.tokens.get(key(hash)) ?? null;
  }
  async rotate(presented: { id: string; sessionId: string; successorBox: Buffer }, successor: { hash: Buffer; expiresAt: Date }, at: Date) {
    const token = [...this.tokens.values()].find((t) => t.id === presented.id)!;
    Object.assign(token, { rotatedAt: at, successorBox: presented.successorBox });
    this.tokens.set(key(successor.hash), { id: `t${++this.next}`, sessionId: presented.sessionId, expiresAt: successor.expiresAt, rotatedAt: null, revokedAt: null, successorBox: null });
  }
}

const APP = { id: 'app', clientId: 'default', active: true } as ApplicationView;
const USER = { id: 'u1', status: 'active' } as User;
const SETTINGS = { accessTokenTtl: 900, refreshTokenTtl: 86_400, sessionMaxAge: 7 * 86_400, refreshReuseGraceSeconds: 10 } as AuthSettings;

function setup() {
  const clock = new TestClock();
  clock.freeze();
  const sessions = new MemorySessions();
  const tokens = { issue: (input: { sessionId: string; issuedAt: Date }) => ({ token: `access:${input.sessionId}:${input.issuedAt.getTime()}`, expiresIn: 900 }) } as unknown as AccessTokens;
  const roles = { roleNamesFor: async () => ['user'] } as unknown as RoleAssignments;
  const issuer = new SessionIssuer(sessions as unknown as SessionRepository, tokens, roles, clock, SETTINGS, inlineUnitOfWork(), recordingAudit());
  const revoked: { ids: string[]; reason: string }[] = [];
  const revoker = {
    revokeSessions: async (ids: string[], reason: string) => {
      revoked.push({ ids, reason });
      for (const id of ids) sessions.sessions.get(id)!.revokedAt = clock.now();
      return ids;
    },
  } as unknown as SessionRevoker;
  const users = { findById: async (id: string) => (id === USER.id ? USER : null) } as unknown as UserRepository;
  const catalog = { application: (clientId: string) => (clientId === APP.clientId ? APP : undefined) } as unknown as AccessCatalog;
  const audit = recordingAudit();
  const useCase = new RefreshTokensUseCase(inlineUnitOfWork(), sessions as unknown as SessionRepository, users, catalog, issuer, revoker, clock, audit, SETTINGS);
  return { clock, issuer, useCase, revoked, audit, sessions };
}

describe('RefreshTokensUseCase (in-memory)', () => {
  it('rotates: each use hands out a new refresh token and a new access token', async () => {
    const { issuer, useCase } = setup();
    const { pair } = await issuer.start(USER, APP, { ip: null, userAgent: null });
    const next = await useCase.execute(pair.refreshToken);
    expect(next.refreshToken).not.toBe(pair.refreshToken);
    const after = await useCase.execute(next.refreshToken);
    expect(after.refreshToken).not.toBe(next.refreshToken);
  });

  it('within the grace window a retry of the rotated token gets the same live successor', async () => {
    const { issuer, useCase, clock, revoked } = setup();
    const { pair } = await issuer.start(USER, APP, { ip: null, userAgent: null });
    const first = await useCase.execute(pair.refreshToken);
    clock.advance(9_000);
    const retry = await useCase.execute(pair.refreshToken);
    expect(retry.refreshToken).toBe(first.refreshToken);
    expect(revoked).toEqual([]);
  });

  it('after the grace window the rotated token is reuse: TOKEN_REUSED, the session revoked and audited', async () => {
    const { issuer, useCase, clock, revoked, audit, sessions } = setup();
    const { session, pair } = await issuer.start(USER, APP, { ip: null, userAgent: null });
    const first = await useCase.execute(pair.refreshToken);
    clock.advance(10_001);
    await expect(useCase.execute(pair.refreshToken, { ip: '10.0.0.1', userAgent: 'unit' })).rejects.toMatchObject({ code: 'TOKEN_REUSED' });
    expect(revoked).toEqual([{ ids: [session.id], reason: 'refresh token reuse' }]);
    expect(audit.events).toEqual([expect.objectContaining({ type: 'token.reused', subjectId: USER.id, data: { sessionId: session.id } })]);
    // Everything descended from that sign-in is dead.
    expect(sessions.sessions.get(session.id)!.revokedAt).not.toBeNull();
    await expect(useCase.execute(first.refreshToken)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('a retry sent before the rotation gets the successor however long it queued', async () => {
    const { issuer, useCase, clock } = setup();
    const { pair } = await issuer.start(USER, APP, { ip: null, userAgent: null });
    const sentAt = clock.now();
    const first = await useCase.execute(pair.refreshToken);
    clock.advance(60_000);
    const queued = await useCase.execute(pair.refreshToken, { ip: null, userAgent: null, receivedAt: sentAt });
    expect(queued.refreshToken).toBe(first.refreshToken);
  });

  it('refuses expired and unknown tokens', async () => {
    const { issuer, useCase, clock } = setup();
    const { pair } = await issuer.start(USER, APP, { ip: null, userAgent: null });
    await expect(useCase.execute('not-a-refresh-token')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    clock.advance(86_400_000 + 1000);
    await expect(useCase.execute(pair.refreshToken)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
});
