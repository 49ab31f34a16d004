import { DataSource } from 'typeorm';
import { readConfig, SystemClock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { parseLoginIdentifier } from '@app/users';
import { throttleKeys } from '@app/credentials';
import { PgLoginThrottle } from '@app/credentials/infrastructure/pg-login-throttle';
import { TypeormUserRepository } from '@app/users/infrastructure/typeorm-user.repository';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';

/** A login's first statement: the account a login names and the failures counted against it. */
describe('login throttle lookup', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let throttle: PgLoginThrottle;
  let userId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { config } = readConfig({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '60' });
    ds = await openDataSource(db.url, config.database);
    const uow = new UnitOfWork(ds);
    throttle = new PgLoginThrottle(uow, new SystemClock(), config.auth, new TypeormUserRepository(uow, new SystemClock()));
    userId = (await ds.query(`INSERT INTO users (username, email, phone, status) VALUES ('Lookup_User', 'lookup@example.test', '+14155550123', 'active') RETURNING id`))[0].id;
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('finds the account by username, email or phone, with the failures of its one key', async () => {
    for (let i = 0; i < 2; i++) await throttle.recordFailure(throttleKeys.account(userId));
    for (const login of ['lookup_user', 'LOOKUP_USER', 'lookup@example.test', '+14155550123']) {
      const found = await throttle.lookup(parseLoginIdentifier(login));
      expect(found.user?.id).toBe(userId);
      expect(found.user?.username).toBe('Lookup_User');
      expect(found).toMatchObject({ key: `user:${userId}`, failures: 2, lockedFor: 0 });
    }
    await throttle.recordFailure(throttleKeys.account(userId));
    const locked = await throttle.lookup(parseLoginIdentifier('lookup@example.test'));
    expect(locked.failures).toBe(3);
    expect(locked.lockedFor).toBeGreaterThan(55);
    expect(locked.lockedFor).toBeLessThanOrEqual(60);
  });

  it('counts a login name that has no account under its own key', async () => {
    const unknown = parseLoginIdentifier('Nobody_Here');
    expect(await throttle.lookup(unknown)).toEqual({ user: null, key: throttleKeys.loginName(unknown), failures: 0, lockedFor: 0 });
    await throttle.recordFailure(throttleKeys.loginName(unknown));
    expect(await throttle.lookup(unknown)).toMatchObject({ user: null, key: 'login:username:nobody_here', failures: 1 });
  });
});
