import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { io, Manager } from 'socket.io-client';
import type { ApiClient, Schemas } from '@identity-task/client';
import { expectOk, expectPair, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { connectTasks, disconnected, Received, TaskSocket } from '../support/sockets';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

type Task = Schemas['TaskResponse'];

/** One signing key for both instances, as a deployment shares JWT_SIGNING_KEYS. */
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SIGNING_KEYS = JSON.stringify([{ kid: 'rt-access-1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }]);

/**
 * Open sockets follow access changes, on every instance: a deactivated or edited role, a user's
 * roles replaced, a disabled user, a deactivated application. Plus the handshake's own limits: the
 * default namespace is refused and each user holds a bounded number of sockets.
 */
describe('tasks real-time: open sockets follow access changes', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: ApiClient;
  let stranger: TestUser;
  const sockets: TaskSocket[] = [];
  const connect = async (app: TestApp, token: string) => {
    const s = await connectTasks(app, { token });
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    const env = { ...WITH_ADMIN, AUTH_RATE_LIMIT: '100000', JWT_SIGNING_KEYS: SIGNING_KEYS };
    a = await startTestApp({ env });
    b = await startTestApp({ db: a.db, env: { ...env, WS_MAX_SOCKETS_PER_USER: '3' } });
    admin = (await loginAdmin(a)).api;
    stranger = await newUser(a);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const create = async (api: ApiClient, title: string): Promise<Task> => expectOk(await api.POST('/api/v1/tasks', { body: { title } }));
  const about = (task: Task, type = 'task.created') => (e: Received) => e.type === type && e.payload.task.id === task.id;

  /** A user holding `user` and a fresh role granting `tasks:read:any`, signed in again to carry it. */
  async function reader(): Promise<{ user: TestUser; role: Schemas['RoleDto'] }> {
    const role = expectOk(await admin.POST('/api/v1/roles', { body: { name: `reader-${randomBytes(4).toString('hex')}`, permissions: ['tasks:read:any'] } })) as Schemas['RoleDto'];
    const first = await newUser(a);
    expectOk(await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: first.user.id } }, body: { roles: ['user', role.name] } }));
    const tokens = expectPair(await a.api.POST('/api/v1/auth/login', { body: { login: first.user.username, password: first.password } }));
    return { user: { ...first, tokens, api: a.as(tokens.accessToken) }, role };
  }

  /**
   * Another user's private task, then one of the reader's own: events reach a socket in commit
   * order, so once the reader's own event has arrived, the private one either arrived before it or
   * was never sent to this socket.
   */
  async function privateThenOwn(user: TestUser, on: TaskSocket[]): Promise<{ foreign: Task; own: Task }> {
    const foreign = await create(stranger.api, `private ${randomBytes(3).toString('hex')}`);
    const own = await create(user.api, 'marker');
    for (const s of on) await s.waitFor(about(own));
    return { foreign, own };
  }

  const heard = (s: TaskSocket, task: Task) => s.received.some((e) => e.payload.task.id === task.id);

  /** Every event `resume { since: 0 }` replays (the log is small here: one replay holds it). */
  async function replayAll(s: TaskSocket): Promise<Received[]> {
    const start = s.received.length;
    const ack = await s.socket.timeout(5000).emitWithAck('resume', { since: 0 });
    expect(ack).toEqual({ replayed: expect.any(Number), complete: true });
    return s.received.slice(start);
  }

  it('a deactivated role stops other users’ events on sockets already open, on every instance, and in resume; reactivated, they flow again', async () => {
    const { user, role } = await reader();
    const onA = await connect(a, user.tokens.accessToken);
    const onB = await connect(b, user.tokens.accessToken);
    const granted = await privateThenOwn(user, [onA, onB]);
    for (const s of [onA, onB]) expect(heard(s, granted.foreign)).toBe(true);

    expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: false } }));
    const revoked = await privateThenOwn(user, [onA, onB]);
    for (const s of [onA, onB]) {
      expect(heard(s, revoked.foreign)).toBe(false);
      const replayed = await replayAll(s);
      expect(replayed.some((e) => e.payload.task.id === revoked.own.id)).toBe(true);
      expect(replayed.filter((e) => e.payload.task.ownerId !== user.user.id && e.payload.task.assigneeId !== user.user.id)).toEqual([]);
    }
    expect((await user.api.GET('/api/v1/tasks/{id}', { params: { path: { id: revoked.foreign.id } } })).response.status).toBe(404);

    expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: true } }));
    const restored = await privateThenOwn(user, [onA, onB]);
    for (const s of [onA, onB]) expect(heard(s, restored.foreign)).toBe(true);
  });

  it('a role whose permissions are edited grants what it grants now', async () => {
    const { user, role } = await reader();
    const onA = await connect(a, user.tokens.accessToken);
    const onB = await connect(b, user.tokens.accessToken);
    expectOk(await admin.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { permissions: ['audit:read'] } }));
    const edited = await privateThenOwn(user, [onA, onB]);
    for (const s of [onA, onB]) {
      expect(heard(s, edited.foreign)).toBe(false);
      expect((await replayAll(s)).some((e) => e.payload.task.id === edited.foreign.id)).toBe(false);
    }
  });

  it('a user whose roles are replaced keeps only what the socket’s token and the new roles both grant', async () => {
    const { user } = await reader();
    const onA = await connect(a, user.tokens.accessToken);
    const onB = await connect(b, user.tokens.accessToken);
    expectOk(await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: user.user.id } }, body: { roles: ['user'] } }));
    const changed = await privateThenOwn(user, [onA, onB]);
    for (const s of [onA, onB]) {
      expect(heard(s, changed.foreign)).toBe(false);
      expect((await replayAll(s)).some((e) => e.payload.task.id === changed.foreign.id)).toBe(false);
    }
    // A reconnection with the same (older) token does not bring the role back either.
    const again = await connect(b, user.tokens.accessToken);
    expect((await replayAll(again)).some((e) => e.payload.task.id === changed.foreign.id)).toBe(false);
  });

  it('a disabled user’s sockets are disconnected on every instance', async () => {
    const { user } = await reader();
    const onA = await connect(a, user.tokens.accessToken);
    const onB = await connect(b, user.tokens.accessToken);
    const gone = [disconnected(onA.socket), disconnected(onB.socket)];
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: user.user.id } }, body: { status: 'disabled' } }));
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
  });

  it('a deactivated application’s sockets are disconnected on every instance, as its tokens get 401 over HTTP', async () => {
    const clientId = `rt-app-${randomBytes(4).toString('hex')}`;
    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId, name: 'Real-time app' } })) as Schemas['ApplicationDto'];
    const user = await newUser(a, { clientId });
    const onA = await connect(a, user.tokens.accessToken);
    const onB = await connect(b, user.tokens.accessToken);
    const gone = [disconnected(onA.socket), disconnected(onB.socket)];
    expectOk(await admin.PATCH('/api/v1/applications/{id}', { params: { path: { id: app.id } }, body: { active: false } }));
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await user.api.GET('/api/v1/users/me')).response.status).toBe(401);
    await expect(connectTasks(b, { token: user.tokens.accessToken })).rejects.toThrow('unauthorized');
  });

  describe('handshake limits', () => {
    /** The `connect_error` of a Socket.IO connection to `namespace`, or a failure when it connects. */
    function refusalOf(app: TestApp, namespace: string, token?: string): Promise<Error & { data?: unknown }> {
      const socket = io(`${app.baseUrl}${namespace}`, { path: '/ws', transports: ['websocket'], reconnection: false, forceNew: true, auth: token ? { token } : {} });
      return new Promise((resolve, reject) => {
        socket.once('connect', () => {
          socket.close();
          reject(new Error(`connected to ${namespace}`));
        });
        socket.once('connect_error', (error) => {
          socket.close();
          resolve(error);
        });
      });
    }

    it('refuses the default namespace, with or without a token, and closes the connection', async () => {
      const u = await newUser(a);
      expect((await refusalOf(a, '/')).message).toBe('Invalid namespace');
      expect((await refusalOf(a, '/', u.tokens.accessToken)).message).toBe('Invalid namespace');
      expect((await refusalOf(a, '/other', u.tokens.accessToken)).message).toBe('Invalid namespace');

      // A client that ignores the refusal is not kept: the server closes the connection itself.
      const manager = new Manager(a.baseUrl, { path: '/ws', transports: ['websocket'], reconnection: false, autoConnect: false });
      const opened = new Promise<void>((resolve, reject) => manager.open((error) => (error ? reject(error) : resolve())));
      await opened;
      const engine = manager.engine;
      const packets: string[] = [];
      engine.on('message', (data) => packets.push(String(data)));
      const closed = new Promise<string>((resolve) => engine.once('close', (reason) => resolve(reason)));
      engine.write('0'); // CONNECT to "/", without going through a Socket (which would close itself)
      // 'transport close': the server closed it (a connection merely left idle would end in 'ping timeout').
      expect(await closed).toBe('transport close');
      expect(packets).toEqual(['4{"message":"Invalid namespace"}']);
    });

    it('caps the sockets of one user per instance (WS_MAX_SOCKETS_PER_USER); the excess handshake gets a clear connect_error', async () => {
      const u = await newUser(a);
      const other = await newUser(a);
      const held = [await connect(b, u.tokens.accessToken), await connect(b, u.tokens.accessToken), await connect(b, u.tokens.accessToken)];
      const refused = await refusalOf(b, '/tasks', u.tokens.accessToken);
      expect(refused.message).toBe('too many sockets');
      expect(refused.data).toEqual({ code: 'TOO_MANY_SOCKETS', limit: 3, detail: 'At most 3 sockets per user' });
      // Other users, and the same user on another instance, are not affected.
      await connect(b, other.tokens.accessToken);
      await connect(a, u.tokens.accessToken);
      // A socket closed frees its place.
      held[0].close();
      await eventually('a place to free up', async () => {
        try {
          return await connect(b, u.tokens.accessToken);
        } catch (error) {
          if ((error as Error).message !== 'too many sockets') throw error;
          return undefined;
        }
      });
    });
  });
});
