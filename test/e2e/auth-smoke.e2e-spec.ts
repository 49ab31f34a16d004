import { loginAdmin, newUser, WITH_ADMIN } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('accounts smoke (factories work)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: WITH_ADMIN });
  });
  afterAll(() => t.close());

  it('registers and logs in a user, and the bootstrap admin', async () => {
    const u = await newUser(t);
    const me = await u.api.GET('/api/v1/users/me');
    expect(me.data?.id).toBe(u.user.id);
    const admin = await loginAdmin(t);
    const adminMe = await admin.api.GET('/api/v1/users/me');
    expect(adminMe.data?.username).toBe('root');
  });
});
