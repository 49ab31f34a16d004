import type { AccessCatalog, ApplicationView } from '@app/access';
import type { SessionIssuer, TokenPair } from '@app/auth';
import type { User, UserRepository } from '@app/users';
import { TestClock } from '../../../../test/support/clock';
import { inlineUnitOfWork, recordingAudit } from '../../../../test/support/fakes';
import { LockState, LoginLookup, LoginThrottle, PasswordHasher, SecondFactorGate, throttleKeys } from '../domain/ports';
import { LoginUseCase } from './login.use-case';
import type { SecurityNotices } from './security-notices';

/** The lockout rules of LOGIN_MAX_FAILURES / LOGIN_LOCKOUT_SECONDS in memory, on the test clock. */
class MemoryThrottle extends LoginThrottle {
  readonly state = new Map<string, { failures: number; lockedUntil: number }>();
  constructor(
    private readonly users: User[],
    private readonly clock: TestClock,
    private readonly max = 3,
    private readonly lockSeconds = 60,
  ) {
    super();
  }
  async lookup(login: { kind: string; value: string }): Promise<LoginLookup> {
    const user = this.users.find((u) => u.username.toLowerCase() === login.value.toLowerCase()) ?? null;
    const key = user ? throttleKeys.account(user.id) : `login:${login.value}`;
    return { user, key, lockedFor: await this.lockedFor(key), failures: this.state.get(key)?.failures ?? 0 };
  }
  async lockedFor(key: string): Promise<number> {
    const left = (this.state.get(key)?.lockedUntil ?? 0) - this.clock.nowMs();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }
  async recordFailure(key: string): Promise<LockState | null> {
    const entry = this.state.get(key) ?? { failures: 0, lockedUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= this.max) entry.lockedUntil = this.clock.nowMs() + this.lockSeconds * 1000;
    this.state.set(key, entry);
    return entry.failures >= this.max ? { lockedForSeconds: this.lockSeconds } : null;
  }
  async reset(key: string): Promise<void> {
    this.state.delete(key);
  }
}

const APP = { id: 'app', clientId: 'default', active: true } as ApplicationView;
const ADA = { id: 'u1', username: 'ada', email: 'ada@example.test', passwordHash: 'hash:right password', status: 'active', mfaEnabled: false } as User;

function setup() {
  const clock = new TestClock();
  clock.freeze();
  const throttle = new MemoryThrottle([ADA], clock);
  const hasher = {
    saturated: () => false,
    verify: async (hash: string | null, password: string) => hash === `hash:${password}`,
    needsRehash: () => false,
  } as unknown as PasswordHasher;
  const started: string[] = [];
  const issuer = {
    start: async (user: User) => {
      started.push(user.id);
      return { pair: { accessToken: `access:${user.id}` } as TokenPair };
    },
  } as unknown as SessionIssuer;
  const locked: { userId: string; seconds: number }[] = [];
  const notices = { accountLocked: async (user: User, seconds: number) => void locked.push({ userId: user.id, seconds }) } as unknown as SecurityNotices;
  const audit = recordingAudit();
  const catalog = { defaultApplication: () => APP, application: (id: string) => (id === 'default' ? APP : undefined) } as unknown as AccessCatalog;
  const gate = { challenge: async () => null } as unknown as SecondFactorGate;
  const useCase = new LoginUseCase(inlineUnitOfWork(), {} as UserRepository, hasher, throttle, catalog, issuer, notices, audit, gate);
  return { useCase, clock, throttle, started, locked, audit };
}

const meta = { ip: '192.0.2.1', userAgent: 'unit' };

describe('LoginUseCase (in-memory)', () => {
  it('signs in with the right password', async () => {
    const { useCase, started } = setup();
    expect(await useCase.execute(meta, { login: 'Ada', password: 'right password' })).toEqual({ accessToken: 'access:u1' });
    expect(started).toEqual(['u1']);
  });

  it('locks the account after LOGIN_MAX_FAILURES, tells its holder once, and lets it in again when the lock has passed', async () => {
    const { useCase, clock, started, locked, audit } = setup();
    for (let i = 0; i < 3; i++) await expect(useCase.execute(meta, { login: 'ada', password: `wrong ${i}` })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(locked).toEqual([{ userId: 'u1', seconds: 60 }]);
    expect(audit.events.map((e) => e.type)).toEqual(['login.failed', 'login.failed', 'login.failed', 'login.locked']);
    // Even the right password waits out the lock: no session, no password check.
    await expect(useCase.execute(meta, { login: 'ada', password: 'right password' })).rejects.toMatchObject({ code: 'LOGIN_LOCKED', retryAfterSeconds: 60 });
    clock.advance(59_000);
    await expect(useCase.execute(meta, { login: 'ada', password: 'right password' })).rejects.toMatchObject({ code: 'LOGIN_LOCKED', retryAfterSeconds: 1 });
    expect(started).toEqual([]);
    clock.advance(1_000);
    await useCase.execute(meta, { login: 'ada', password: 'right password' });
    expect(started).toEqual(['u1']);
  });

  it('a success clears the failures: the next wrong passwords start counting again', async () => {
    const { useCase, throttle } = setup();
    await expect(useCase.execute(meta, { login: 'ada', password: 'wrong' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await useCase.execute(meta, { login: 'ada', password: 'right password' });
    expect(throttle.state.size).toBe(0);
  });

  it('answers an unknown login like a wrong password, counting it against the login name', async () => {
    const { useCase, throttle, audit } = setup();
    await expect(useCase.execute(meta, { login: 'nobody', password: 'whatever' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(throttle.state.get('login:nobody')).toMatchObject({ failures: 1 });
    expect(audit.events).toEqual([expect.objectContaining({ type: 'login.failed', subjectId: null, data: { reason: 'unknown_login', clientId: 'default' } })]);
  });
});
