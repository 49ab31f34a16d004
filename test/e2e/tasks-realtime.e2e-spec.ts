import { generateKeyPairSync } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import type { ApiClient, Schemas } from '@identity-task/client';
import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { connectTasks, disconnected, refusal, TaskSocket } from '../support/sockets';
import { startTestApp, TestApp } from '../support/test-app';
import { withAdminClient } from '../support/test-database';


type Task = Schemas['TaskResponse'];

/** One signing key for both instances, as a deployment shares JWT_SIGNING_KEYS. */
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SIGNING_KEYS = JSON.stringify([{ kid: 'rt-test-1', privateKey: KEY_PEM }]);
/** Both instances of the deployment run with these (the second adds CORS_ORIGINS). */
const SETTINGS = {
  ...WITH_ADMIN,
  AUTH_RATE_LIMIT: '100000',
  JWT_SIGNING_KEYS: SIGNING_KEYS,
  WS_RATE_LIMIT: '8',
  WS_MAX_MESSAGE_BYTES: '4096',
  TASK_RESUME_MAX_EVENTS: '3',
};

describe('tasks real-time (Socket.IO /ws, namespace /tasks)', () => {
  let a: TestApp;
  let owner: TestUser;
  let assignee: TestUser;
  let stranger: TestUser;
  let admin: { tokens: Schemas['TokenPairDto']; api: ApiClient };
  const sockets: TaskSocket[] = [];
  const connect = async (app: TestApp, token: string, headers?: Record<string, string>) => {
    const s = await connectTasks(app, { token, headers });
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    a = await startTestApp({ env: SETTINGS });
    [owner, assignee, stranger] = await Promise.all([newUser(a), newUser(a), newUser(a)]);
    admin = await loginAdmin(a);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => a.close());

  const create = async (api: ApiClient, body: Schemas['CreateTaskDto']): Promise<Task> => expectOk(await api.POST('/api/v1/tasks', { body }));
  const patch = async (api: ApiClient, id: string, body: Schemas['UpdateTaskDto']): Promise<Task> =>
    expectOk(await api.PATCH('/api/v1/tasks/{id}', { params: { path: { id } }, body }));
  /**
   * A socket receives its events in the order they were written: once an event written after the ones
   * in question (a task its user creates now) has arrived, any of those it was going to get has too.
   * "It received nothing" is asserted after this, never after a pause.
   */
  const caughtUp = async (api: ApiClient, s: TaskSocket) => {
    const marker = await create(api, { title: 'marker' });
    await s.waitFor((e) => e.type === 'task.created' && e.payload.task.id === marker.id);
  };

  it('refuses handshakes without a valid access token', async () => {
    const u = await newUser(a);
    expect(await refusal(a, {})).toBe('unauthorized');
    expect(await refusal(a, { token: 'not-a-jwt' })).toBe('unauthorized');
    expect(await refusal(a, { token: u.tokens.refreshToken })).toBe('unauthorized');

    const claims = jwt.decode(u.tokens.accessToken) as jwt.JwtPayload;
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256' as const, typ: 'at+jwt', kid: 'rt-test-1' };
    const expired = jwt.sign({ ...claims, iat: now - 3600, exp: now - 600 }, KEY_PEM, { algorithm: 'ES256', header });
    expect(await refusal(a, { token: expired })).toBe('unauthorized');
    const foreignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const foreign = jwt.sign({ ...claims }, foreignKey, { algorithm: 'ES256', header });
    expect(await refusal(a, { token: foreign })).toBe('unauthorized');
    const otherAudience = jwt.sign({ ...claims, aud: 'some-other-client' }, KEY_PEM, { algorithm: 'ES256', header });
    expect(await refusal(a, { token: otherAudience })).toBe('unauthorized');

    // The Authorization header works as well as `auth.token`.
    const viaHeader = await connectTasks(a, { headers: { authorization: `Bearer ${u.tokens.accessToken}` } });
    viaHeader.close();
    expect((await u.api.POST('/api/v1/auth/logout')).response.status).toBe(204);
    expect(await refusal(a, { token: u.tokens.accessToken })).toBe('unauthorized');
  });

  it('delivers events to the owner, the assignee (before and after) and tasks:read:any holders only', async () => {
    const next = await newUser(a);
    const [o, as, st, ad, nx] = await Promise.all([
      connect(a, owner.tokens.accessToken),
      connect(a, assignee.tokens.accessToken),
      connect(a, stranger.tokens.accessToken),
      connect(a, admin.tokens.accessToken),
      connect(a, next.tokens.accessToken),
    ]);
    const task = await create(owner.api, { title: 'Live', assigneeId: assignee.user.id });
    const isFor = (type: string) => (e: { type: string; payload: { task: Task } }) => e.type === type && e.payload.task.id === task.id;
    for (const s of [o, as, ad]) {
      const e = await s.waitFor(isFor('task.created'));
      expect(e.payload).toEqual({ eventId: expect.any(Number), task: expect.objectContaining({ id: task.id, version: 1 }), by: owner.user.id, at: expect.any(String) });
    }

    await patch(assignee.api, task.id, { status: 'in_progress' });
    for (const s of [o, as, ad]) {
      const e = await s.waitFor(isFor('task.status_changed'));
      expect(e.payload.changes).toEqual([{ field: 'status', from: 'todo', to: 'in_progress' }]);
      expect(e.payload.by).toBe(assignee.user.id);
    }

    await patch(owner.api, task.id, { assigneeId: next.user.id });
    for (const s of [o, as, ad, nx]) await s.waitFor(isFor('task.updated'));

    await patch(owner.api, task.id, { title: 'Live, renamed' });
    await owner.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: task.id } } });
    for (const s of [o, nx, ad]) await s.waitFor(isFor('task.deleted'));
    await Promise.all([caughtUp(stranger.api, st), caughtUp(assignee.api, as)]);
    expect(st.received.filter((e) => e.payload.task.id === task.id)).toEqual([]);
    // The former assignee heard of the reassignment, then nothing more.
    expect(as.received.filter((e) => e.payload.task.id === task.id).map((e) => e.type)).toEqual(['task.created', 'task.status_changed', 'task.updated']);
    expect(nx.received.filter((e) => e.payload.task.id === task.id).map((e) => e.type)).toEqual(['task.updated', 'task.updated', 'task.deleted']);
    expect(o.received.filter((e) => e.payload.task.id === task.id).map((e) => e.payload.eventId)).toEqual(
      [...o.received.filter((e) => e.payload.task.id === task.id).map((e) => e.payload.eventId)].sort((x, y) => x - y),
    );
  });

  it('disconnects a socket when its session ends (logout), and only that session’s sockets', async () => {
    const u = await newUser(a);
    const second = expectOk(await a.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
    const s1 = await connect(a, u.tokens.accessToken);
    const s2 = await connect(a, second.accessToken);
    const gone = disconnected(s1.socket);
    expect((await u.api.POST('/api/v1/auth/logout')).response.status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    await caughtUp(a.as(second.accessToken), s2);
    expect(s2.socket.connected).toBe(true);
    const gone2 = disconnected(s2.socket);
    expect((await a.as(second.accessToken).POST('/api/v1/auth/logout-all')).response.status).toBe(204);
    expect(await gone2).toBe('io server disconnect');
  });

  it('disconnects the sockets of a user whose account is deleted (every token of the user revoked)', async () => {
    const u = await newUser(a);
    const s = await connect(a, u.tokens.accessToken);
    const gone = disconnected(s.socket);
    expect((await u.api.DELETE('/api/v1/users/me', { body: { password: u.password } })).response.status).toBe(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('a deleted account’s tasks, removed by the database cascade, emit task.deleted live and in the resume log', async () => {
    const leaving = await newUser(a);
    const watcher = await newUser(a);
    const [w, ad] = await Promise.all([connect(a, watcher.tokens.accessToken), connect(a, admin.tokens.accessToken)]);
    const shared = await create(leaving.api, { title: 'Shared, owner leaving', assigneeId: watcher.user.id });
    const solo = await create(leaving.api, { title: 'Private, owner leaving' });
    const created = await w.waitFor((e) => e.type === 'task.created' && e.payload.task.id === shared.id);

    expect((await leaving.api.DELETE('/api/v1/users/me', { body: { password: leaving.password } })).response.status).toBe(204);
    const gone = await w.waitFor((e) => e.type === 'task.deleted' && e.payload.task.id === shared.id);
    expect(gone.payload).toEqual({
      eventId: expect.any(Number),
      task: expect.objectContaining({ id: shared.id, title: 'Shared, owner leaving', ownerId: leaving.user.id, assigneeId: watcher.user.id, version: 1 }),
      by: null,
      at: expect.any(String),
    });
    expect(gone.payload.eventId).toBeGreaterThan(created.payload.eventId);
    // Every holder of tasks:read:any hears of both; the watcher of the shared one only.
    for (const id of [shared.id, solo.id]) await ad.waitFor((e) => e.type === 'task.deleted' && e.payload.task.id === id);
    await caughtUp(watcher.api, w);
    expect(w.received.filter((e) => e.payload.task.id === solo.id)).toEqual([]);
    expect((await watcher.api.GET('/api/v1/tasks/{id}', { params: { path: { id: shared.id } } })).response.status).toBe(404);

    // A client that missed it gets it from `resume`, once.
    const again = await connect(a, watcher.tokens.accessToken);
    let replayed: number | undefined;
    for (let since = created.payload.eventId, complete = false; !complete; ) {
      const ack = await again.socket.timeout(5000).emitWithAck('resume', { since });
      complete = ack.complete;
      replayed = (replayed ?? 0) + ack.replayed;
      since = again.received.at(-1)?.payload.eventId ?? since;
    }
    expect(replayed).toBeGreaterThan(0);
    expect(again.received.filter((e) => e.payload.task.id === shared.id).map((e) => [e.type, e.payload.eventId])).toEqual([['task.deleted', gone.payload.eventId]]);

    // A deletion through the API is recorded once, by the app, with its actor.
    const own = await create(watcher.api, { title: 'Deleted through the API' });
    expect((await watcher.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: own.id } } })).response.status).toBe(204);
    await w.waitFor((e) => e.type === 'task.deleted' && e.payload.task.id === own.id);
    const history = await withAdminClient(a.db.url, async (c) => (await c.query(`SELECT type, actor_id FROM task_events WHERE task_id = $1 ORDER BY id`, [own.id])).rows);
    expect(history).toEqual([{ type: 'task.created', actor_id: watcher.user.id }, { type: 'task.deleted', actor_id: watcher.user.id }]);
  });

  it('resume { since } replays missed events in order, within a bounded window, to entitled users only', async () => {
    const watcher = await newUser(a);
    const outsider = await newUser(a);
    const s = await connect(a, watcher.tokens.accessToken);
    const task = await create(owner.api, { title: 'Resumable', assigneeId: watcher.user.id });
    const first = await s.waitFor((e) => e.type === 'task.created' && e.payload.task.id === task.id);
    s.close();

    for (const title of ['one', 'two', 'three', 'four']) await patch(owner.api, task.id, { title });

    const again = await connect(a, watcher.tokens.accessToken);
    const ack1 = await again.socket.timeout(5000).emitWithAck('resume', { since: first.payload.eventId });
    expect(ack1).toEqual({ replayed: 3, complete: false });
    expect(again.received.map((e) => e.payload.task.title)).toEqual(['one', 'two', 'three']);
    const lastId = again.received[2].payload.eventId;
    const ack2 = await again.socket.timeout(5000).emitWithAck('resume', { since: lastId });
    expect(ack2).toEqual({ replayed: 1, complete: true });
    expect(again.received.map((e) => e.payload.task.title)).toEqual(['one', 'two', 'three', 'four']);
    const ids = again.received.map((e) => e.payload.eventId);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));

    const other = await connect(a, outsider.tokens.accessToken);
    expect(await other.socket.timeout(5000).emitWithAck('resume', { since: first.payload.eventId })).toEqual({ replayed: 0, complete: true });
    expect(other.received).toEqual([]);
    expect(await other.socket.timeout(5000).emitWithAck('resume', { since: 'yesterday' })).toEqual({ error: expect.any(String) });
  });

  it('delivers events committed while the instance’s LISTEN connection was down, once it is back', async () => {
    const s = await connect(a, owner.tokens.accessToken);
    const killed = await withAdminClient(a.db.url, async (c) =>
      (await c.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'its-listener' AND datname = current_database()`)).rows,
    );
    expect(killed).toHaveLength(1);
    // Committed before the listener reconnects (its first retry waits 200 ms): the NOTIFY is lost.
    const task = await create(owner.api, { title: 'Sent while deaf' });
    const e = await s.waitFor((x) => x.type === 'task.created' && x.payload.task.id === task.id, 10_000);
    expect(e.payload.by).toBe(owner.user.id);
    await patch(owner.api, task.id, { title: 'Heard again' });
    await s.waitFor((x) => x.type === 'task.updated' && x.payload.task.id === task.id);
    expect(s.received.filter((x) => x.payload.task.id === task.id).map((x) => x.type)).toEqual(['task.created', 'task.updated']);
  });

  it('drops messages beyond the per-socket rate limit', async () => {
    const s = await connect(a, owner.tokens.accessToken);
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => s.socket.timeout(1500).emitWithAck('resume', { since: 1e12 })));
    const answered = results.filter((r) => r.status === 'fulfilled');
    expect(answered).toHaveLength(8);
    expect(s.socket.connected).toBe(true);
  });

  it('closes the connection on an oversize message', async () => {
    const s = await connect(a, owner.tokens.accessToken);
    const gone = disconnected(s.socket);
    s.socket.emit('resume', { since: 1, padding: 'x'.repeat(10_000) });
    expect(await gone).toMatch(/transport/);
  });

  describe('a second instance on the same database', () => {
    let b: TestApp;
    beforeAll(async () => {
      b = await startTestApp({ db: a.db, env: { ...SETTINGS, CORS_ORIGINS: 'https://app.example.test' } });
    });
    afterAll(() => b.close());

    it('delivers events written through the other instance', async () => {
      const onB = await connect(b, owner.tokens.accessToken);
      const task = await create(owner.api, { title: 'Across instances' });
      const created = await onB.waitFor((e) => e.type === 'task.created' && e.payload.task.id === task.id);
      expect(created.payload.by).toBe(owner.user.id);
      await patch(owner.api, task.id, { status: 'done' });
      const changed = await onB.waitFor((e) => e.type === 'task.status_changed' && e.payload.task.id === task.id);
      expect(changed.payload.changes).toEqual([{ field: 'status', from: 'todo', to: 'done' }]);
      const strangerOnB = await connect(b, stranger.tokens.accessToken);
      await patch(owner.api, task.id, { title: 'Across, renamed' });
      await onB.waitFor((e) => e.type === 'task.updated' && e.payload.task.id === task.id);
      await caughtUp(stranger.api, strangerOnB);
      expect(strangerOnB.received.filter((e) => e.payload.task.id === task.id)).toEqual([]);
    });

    it('disconnects sockets on every instance when the session is revoked', async () => {
      const u = await newUser(a);
      const onB = await connect(b, u.tokens.accessToken);
      const gone = disconnected(onB.socket);
      expect((await u.api.POST('/api/v1/auth/logout')).response.status).toBe(204);
      expect(await gone).toBe('io server disconnect');
    });

    it('checks browser origins against CORS_ORIGINS', async () => {
      const refused = await refusal(b, { token: owner.tokens.accessToken, headers: { origin: 'https://evil.example.test' } });
      expect(refused).toBe('websocket error');
      const allowed = await connect(b, owner.tokens.accessToken, { origin: 'https://app.example.test' });
      expect(allowed.socket.connected).toBe(true);
    });
  });
});
