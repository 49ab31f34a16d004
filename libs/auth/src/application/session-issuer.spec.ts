import type { ApplicationView, RoleAssignments } from '@app/access';
import type { AuditLog } from '@app/audit';
import { AuthSettings, Clock } from '@app/core';
import type { UnitOfWork } from '@app/persistence';
import type { User } from '@app/users';
import { AccessTokens, SessionRepository } from '../domain/ports';
import type { Session } from '../domain/session';
import { SessionIssuer } from './session-issuer';

/** A clock that moves on by 1 ms at every reading: a lifetime computed from two readings comes out short. */
class TickingClock extends Clock {
  private ms = Date.UTC(2026, 10, 29, 12, 0, 0, 999);
  now(): Date {
    this.ms += 1;
    return new Date(this.ms);
  }
}

const APP = { id: 'app-id', clientId: 'default' } as ApplicationView;

function issuerWith(settings: { accessTokenTtl: number; refreshTokenTtl: number; sessionMaxAge: number }) {
  const issued: { issuedAt: Date }[] = [];
  const sessions = {
    open: async (session: Omit<Session, 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>) => ({ ...session, id: 'sid', createdAt: new Date(), lastUsedAt: new Date(), revokedAt: null }),
  } as unknown as SessionRepository;
  const tokens = {
    issue: (input: { issuedAt: Date }) => {
      issued.push(input);
      return { token: 'access', expiresIn: settings.accessTokenTtl };
    },
  } as unknown as AccessTokens;
  const roles = { roleNamesFor: async () => ['user'] } as unknown as RoleAssignments;
  const uow = { run: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
  const audit = { record: async () => undefined } as unknown as AuditLog;
  const issuer = new SessionIssuer(sessions, tokens, roles, new TickingClock(), settings as AuthSettings, uow, audit);
  return { issuer, issued };
}

describe('SessionIssuer lifetimes', () => {
  const user = { id: 'user-id' } as User;
  const meta = { ip: null, userAgent: null };

  it('gives exactly REFRESH_TOKEN_TTL when the session outlives it, however the clock moves', async () => {
    const { issuer } = issuerWith({ accessTokenTtl: 900, refreshTokenTtl: 2_592_000, sessionMaxAge: 7_776_000 });
    const { pair } = await issuer.start(user, APP, meta);
    expect(pair).toMatchObject({ expiresIn: 900, refreshExpiresIn: 2_592_000 });
  });

  it('gives the session’s whole seconds when it ends first: all of them at login, what is left later', async () => {
    const { issuer, issued } = issuerWith({ accessTokenTtl: 300, refreshTokenTtl: 7200, sessionMaxAge: 3600 });
    const { session, pair } = await issuer.start(user, APP, meta);
    expect(pair.refreshExpiresIn).toBe(3600);
    expect(session.expiresAt.getTime() - issued[0].issuedAt.getTime()).toBe(3_600_000);

    const now = new Date(issued[0].issuedAt.getTime() + 1500);
    const later = await issuer.pair(session, APP, 'next', issuer.refreshExpiry(session, now), now);
    expect(later).toMatchObject({ expiresIn: 300, refreshExpiresIn: 3598 });
    expect(issued[1].issuedAt).toBe(now);
  });
});
