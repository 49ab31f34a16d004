import type { ApiClient, Schemas } from '@identity-task/client';
import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

type Task = Schemas['TaskResponse'];
type NewTask = Schemas['CreateTaskDto'];


describe('tasks (REST)', () => {
  let t: TestApp;
  let owner: TestUser;
  let assignee: TestUser;
  let stranger: TestUser;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '100000' } });
    [owner, assignee, stranger] = await Promise.all([newUser(t), newUser(t), newUser(t)]);
    admin = (await loginAdmin(t)).api;
  });
  afterAll(() => t.close());

  const create = async (api: ApiClient, body: NewTask): Promise<Task> => expectOk(await api.POST('/api/v1/tasks', { body }));
  const patch = (api: ApiClient, id: string, body: Schemas['UpdateTaskDto'], ifMatch?: string) =>
    api.PATCH('/api/v1/tasks/{id}', { params: { path: { id }, header: ifMatch === undefined ? {} : { 'If-Match': ifMatch } }, body });

  describe('creating', () => {
    it('creates a task owned by the caller, with defaults and an ETag', async () => {
      const res = await owner.api.POST('/api/v1/tasks', { body: { title: 'Write the notes', assigneeId: assignee.user.id } });
      expect(res.response.status).toBe(201);
      expect(res.response.headers.get('etag')).toBe('"1"');
      expect(res.data).toEqual({
        id: expect.any(String),
        title: 'Write the notes',
        description: null,
        status: 'todo',
        priority: 'medium',
        dueAt: null,
        ownerId: owner.user.id,
        assigneeId: assignee.user.id,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('refuses fields the contract does not offer, blank titles and bad values', async () => {
      for (const body of [
        { title: 'x', ownerId: stranger.user.id },
        { title: 'x', version: 7 },
        { title: '   ' },
        { title: 'x', status: 'blocked' },
        { title: 'x', priority: 'whenever' },
        { title: 'x', dueAt: 'tomorrow' },
        { title: null },
        { title: 'x', status: null },
        { title: 'x', priority: null },
      ]) {
        const res = await owner.api.POST('/api/v1/tasks', { body: body as unknown as NewTask });
        expect(res.response.status).toBe(400);
      }
    });

    it('PATCH refuses null for fields that cannot be empty, and accepts it for those that can', async () => {
      const task = await create(owner.api, { title: 'Nullable?', description: 'd', dueAt: '2030-01-01T00:00:00.000Z', assigneeId: assignee.user.id });
      for (const body of [{ title: null }, { status: null }, { priority: null }]) {
        const res = await patch(owner.api, task.id, body as unknown as Schemas['UpdateTaskDto']);
        expect(res.response.status).toBe(400);
      }
      const cleared = expectOk(await patch(owner.api, task.id, { description: null, dueAt: null, assigneeId: null }));
      expect(cleared).toMatchObject({ title: 'Nullable?', description: null, dueAt: null, assigneeId: null, version: 2 });
    });

    it('refuses an assignee that does not exist with 400 ASSIGNEE_NOT_FOUND', async () => {
      const res = await owner.api.POST('/api/v1/tasks', { body: { title: 'x', assigneeId: '00000000-0000-4000-8000-000000000000' } });
      expect(res.response.status).toBe(400);
      expect((res.error as { code: string }).code).toBe('ASSIGNEE_NOT_FOUND');
      const patched = await create(owner.api, { title: 'y' });
      const bad = await patch(owner.api, patched.id, { assigneeId: '00000000-0000-4000-8000-000000000000' });
      expect(bad.response.status).toBe(400);
      expect((bad.error as { code: string }).code).toBe('ASSIGNEE_NOT_FOUND');
    });

    it('needs a token', async () => {
      const res = await t.api.POST('/api/v1/tasks', { body: { title: 'x' } });
      expect(res.response.status).toBe(401);
    });
  });

  describe('access rules', () => {
    let task: Task;
    beforeAll(async () => {
      task = await create(owner.api, { title: 'Shared', description: 'with the assignee', assigneeId: assignee.user.id });
    });

    it('owner, assignee and admin read it; a stranger gets 404', async () => {
      for (const api of [owner.api, assignee.api, admin]) {
        const res = await api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } });
        expect(res.response.status).toBe(200);
        expect(res.data?.id).toBe(task.id);
      }
      const res = await stranger.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } });
      expect(res.response.status).toBe(404);
      expect((res.error as { code: string }).code).toBe('TASK_NOT_FOUND');
    });

    it('a stranger cannot change, delete or read the history of it (404), nor find it in a list', async () => {
      expect((await patch(stranger.api, task.id, { status: 'done' })).response.status).toBe(404);
      expect((await stranger.api.PUT('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body: { title: 'mine' } })).response.status).toBe(404);
      expect((await stranger.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: task.id } } })).response.status).toBe(404);
      expect((await stranger.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id } } })).response.status).toBe(404);
      const list = expectOk(await stranger.api.GET('/api/v1/tasks', { params: { query: { ownerId: owner.user.id } } }));
      expect(list.items).toEqual([]);
    });

    it('the assignee sees it in lists and may change the status only', async () => {
      const list = expectOk(await assignee.api.GET('/api/v1/tasks', { params: { query: { assigneeId: assignee.user.id, limit: 100 } } }));
      expect(list.items.map((i) => i.id)).toContain(task.id);
      const ok = await patch(assignee.api, task.id, { status: 'in_progress' });
      expect(ok.response.status).toBe(200);
      expect(ok.data?.status).toBe('in_progress');
      for (const body of [{ title: 'renamed' }, { status: 'done' as const, priority: 'high' as const }, { assigneeId: null }]) {
        const res = await patch(assignee.api, task.id, body);
        expect(res.response.status).toBe(403);
        expect((res.error as { code: string }).code).toBe('TASK_EDIT_FORBIDDEN');
      }
      const del = await assignee.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: task.id } } });
      expect(del.response.status).toBe(403);
      const after = expectOk(await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } }));
      expect(after).toMatchObject({ title: 'Shared', status: 'in_progress', priority: 'medium', assigneeId: assignee.user.id });
    });

    it('tasks:*:any (admin) reaches every task: lists, changes and deletes it', async () => {
      const list = expectOk(await admin.GET('/api/v1/tasks', { params: { query: { ownerId: owner.user.id, limit: 100 } } }));
      expect(list.items.map((i) => i.id)).toContain(task.id);
      const res = await patch(admin, task.id, { title: 'Renamed by admin' });
      expect(res.response.status).toBe(200);
      const other = await create(stranger.api, { title: 'Stranger’s own' });
      expect((await admin.DELETE('/api/v1/tasks/{id}', { params: { path: { id: other.id } } })).response.status).toBe(204);
      expect((await stranger.api.GET('/api/v1/tasks/{id}', { params: { path: { id: other.id } } })).response.status).toBe(404);
    });

    it('the owner changes everything, replaces with PUT and deletes', async () => {
      const mine = await create(owner.api, { title: 'Mine', description: 'd', priority: 'high', dueAt: '2030-01-01T00:00:00.000Z' });
      const put = await owner.api.PUT('/api/v1/tasks/{id}', { params: { path: { id: mine.id } }, body: { title: 'Replaced', status: 'done' } });
      expect(put.response.status).toBe(200);
      expect(put.response.headers.get('etag')).toBe('"2"');
      expect(put.data).toMatchObject({ title: 'Replaced', description: null, status: 'done', priority: 'medium', dueAt: null, version: 2 });
      expect((await owner.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: mine.id } } })).response.status).toBe(204);
      expect((await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: mine.id } } })).response.status).toBe(404);
    });

    it('a malformed id is a 400', async () => {
      const res = await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: 'not-a-uuid' } } });
      expect(res.response.status).toBe(400);
    });
  });

  describe('versions and If-Match', () => {
    it('GET returns the ETag; a stale If-Match is 412 VERSION_CONFLICT; a current one wins', async () => {
      const task = await create(owner.api, { title: 'Versioned' });
      const got = await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } });
      expect(got.response.headers.get('etag')).toBe('"1"');
      const first = await patch(owner.api, task.id, { priority: 'high' }, '"1"');
      expect(first.response.status).toBe(200);
      expect(first.response.headers.get('etag')).toBe('"2"');
      const stale = await patch(owner.api, task.id, { priority: 'low' }, '"1"');
      expect(stale.response.status).toBe(412);
      expect(stale.response.headers.get('content-type')).toContain('application/problem+json');
      expect((stale.error as { code: string }).code).toBe('VERSION_CONFLICT');
      expect((await patch(owner.api, task.id, { priority: 'low' }, 'W/"2"')).response.status).toBe(200);
      expect((await patch(owner.api, task.id, { priority: 'urgent' }, '*')).response.status).toBe(200);
      expect((await patch(owner.api, task.id, { priority: 'high' }, 'garbage')).response.status).toBe(412);
      const staleDelete = await owner.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: task.id }, header: { 'If-Match': '"1"' } } });
      expect(staleDelete.response.status).toBe(412);
      const final = expectOk(await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } }));
      expect(final).toMatchObject({ priority: 'urgent', version: 4 });
    });

    it('a no-op change keeps the version', async () => {
      const task = await create(owner.api, { title: 'Same' });
      const res = await patch(owner.api, task.id, { title: 'Same' }, '"1"');
      expect(res.data?.version).toBe(1);
    });

    it('two concurrent PATCHes with the same version: one 200, one 412, nothing lost silently', async () => {
      for (let round = 0; round < 5; round++) {
        const task = await create(owner.api, { title: `Race ${round}` });
        const [a, b] = await Promise.all([
          patch(owner.api, task.id, { title: 'from A' }, '"1"'),
          patch(admin, task.id, { title: 'from B' }, '"1"'),
        ]);
        expect([a.response.status, b.response.status].sort()).toEqual([200, 412]);
        const winner = a.response.status === 200 ? 'from A' : 'from B';
        const final = expectOk(await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } }));
        expect(final).toMatchObject({ title: winner, version: 2 });
        const history = expectOk(await owner.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id } } }));
        expect(history.items.map((e) => e.type)).toEqual(['task.created', 'task.updated']);
      }
    });

    it('without If-Match, concurrent changes of different fields are both kept', async () => {
      const task = await create(owner.api, { title: 'Both' });
      const results = await Promise.all([patch(owner.api, task.id, { priority: 'urgent' }), patch(admin, task.id, { description: 'added' })]);
      expect(results.map((r) => r.response.status)).toEqual([200, 200]);
      const final = expectOk(await owner.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } }));
      expect(final).toMatchObject({ priority: 'urgent', description: 'added', version: 3 });
    });
  });

  describe('history', () => {
    it('records who changed which field from what to what, in order', async () => {
      const task = await create(owner.api, { title: 'Logged', assigneeId: assignee.user.id });
      expectOk(await patch(assignee.api, task.id, { status: 'in_progress' }));
      expectOk(await patch(owner.api, task.id, { title: 'Logged twice', dueAt: '2031-05-01T10:00:00.000Z', assigneeId: null }));
      // Unassigned now: the former assignee no longer sees the task, nor its history.
      const res = await assignee.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id } } });
      expect(res.response.status).toBe(404);
      const history = expectOk(await owner.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id } } }));
      expect(history.nextCursor).toBeNull();
      const [created, status, updated] = history.items;
      expect(created).toMatchObject({ type: 'task.created', actorId: owner.user.id, changes: [] });
      expect(status).toMatchObject({
        type: 'task.status_changed',
        actorId: assignee.user.id,
        changes: [{ field: 'status', from: 'todo', to: 'in_progress' }],
        task: { status: 'in_progress', version: 2 },
      });
      expect(updated).toMatchObject({
        type: 'task.updated',
        actorId: owner.user.id,
        changes: [
          { field: 'title', from: 'Logged', to: 'Logged twice' },
          { field: 'dueAt', from: null, to: '2031-05-01T10:00:00.000Z' },
          { field: 'assigneeId', from: assignee.user.id, to: null },
        ],
      });
      expect(created.id).toBeLessThan(status.id);
      expect(status.id).toBeLessThan(updated.id);
      expect(new Date(updated.at).getTime()).toBeGreaterThanOrEqual(new Date(created.at).getTime());
      const page1 = expectOk(await owner.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id }, query: { limit: 2 } } }));
      expect(page1.items).toHaveLength(2);
      const page2 = expectOk(await owner.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id }, query: { limit: 2, cursor: page1.nextCursor! } } }));
      expect(page2.items.map((e) => e.id)).toEqual([updated.id]);
      expect(page2.nextCursor).toBeNull();
    });

    it('a deleted task and its history answer 404', async () => {
      const task = await create(owner.api, { title: 'Gone soon' });
      expect((await owner.api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: task.id } } })).response.status).toBe(204);
      expect((await owner.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id } } })).response.status).toBe(404);
    });
  });

  describe('filters, search and sorting', () => {
    let u: TestUser;
    let other: TestUser;
    let all: Task[];
    beforeAll(async () => {
      [u, other] = await Promise.all([newUser(t), newUser(t)]);
      const specs: NewTask[] = [
        { title: 'Alpha report', description: 'quarterly NUMBERS', status: 'todo', priority: 'low', dueAt: '2030-03-01T00:00:00.000Z' },
        { title: 'Beta', description: 'call the bank', status: 'in_progress', priority: 'urgent', dueAt: '2030-01-01T00:00:00.000Z', assigneeId: other.user.id },
        { title: 'Gamma 100% done', status: 'done', priority: 'high' },
        { title: 'Delta', description: 'numbers again', status: 'todo', priority: 'medium', dueAt: '2030-02-01T00:00:00.000Z' },
        { title: 'Epsilon', status: 'cancelled', priority: 'high', dueAt: '2030-04-01T00:00:00.000Z', assigneeId: other.user.id },
        { title: 'Zeta', status: 'todo', priority: 'urgent' },
      ];
      all = [];
      for (const spec of specs) all.push(await create(u.api, spec));
    });

    const ids = (tasks: Task[]) => tasks.map((x) => x.id);
    const byTitle = (...titles: string[]) => titles.map((title) => all.find((x) => x.title.startsWith(title))!.id);
    const list = async (query: Record<string, string | number>) =>
      expectOk(await u.api.GET('/api/v1/tasks', { params: { query: { ownerId: u.user.id, limit: 100, ...query } } })).items;

    it('filter by status, assignee, owner', async () => {
      expect(ids(await list({ status: 'todo' })).sort()).toEqual(byTitle('Alpha', 'Delta', 'Zeta').sort());
      expect(ids(await list({ assigneeId: other.user.id })).sort()).toEqual(byTitle('Beta', 'Epsilon').sort());
      expect(await list({ ownerId: other.user.id })).toEqual([]);
      // The assignee sees exactly the tasks assigned to them.
      const theirs = expectOk(await other.api.GET('/api/v1/tasks', { params: { query: { ownerId: u.user.id } } })).items;
      expect(ids(theirs).sort()).toEqual(byTitle('Beta', 'Epsilon').sort());
    });

    it('q searches title and description, case-insensitively, with LIKE characters taken literally', async () => {
      expect(ids(await list({ q: 'numbers' })).sort()).toEqual(byTitle('Alpha', 'Delta').sort());
      expect(ids(await list({ q: 'BANK' }))).toEqual(byTitle('Beta'));
      expect(ids(await list({ q: '100%' }))).toEqual(byTitle('Gamma'));
      expect(await list({ q: '%' })).toHaveLength(1);
      expect(await list({ q: '_' })).toHaveLength(0);
    });

    it('dueBefore and dueAfter (tasks without a due date match neither)', async () => {
      expect(ids(await list({ dueBefore: '2030-02-15T00:00:00.000Z' })).sort()).toEqual(byTitle('Beta', 'Delta').sort());
      expect(ids(await list({ dueAfter: '2030-02-15T00:00:00.000Z' })).sort()).toEqual(byTitle('Alpha', 'Epsilon').sort());
      expect(ids(await list({ dueAfter: '2030-01-15T00:00:00.000Z', dueBefore: '2030-03-15T00:00:00.000Z', status: 'todo' })).sort()).toEqual(byTitle('Alpha', 'Delta').sort());
    });

    it('sorts by createdAt, dueAt and priority, both ways, ties by id', async () => {
      const tie = (a: Task, b: Task) => (a.id < b.id ? -1 : 1);
      const created = [...all].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || tie(a, b));
      expect(ids(await list({ sort: 'createdAt' }))).toEqual(ids(created));
      expect(ids(await list({}))).toEqual(ids([...created].reverse()));
      expect(ids(await list({ sort: '-createdAt' }))).toEqual(ids([...created].reverse()));
      const due = (x: Task) => x.dueAt ?? '9999';
      const byDue = [...all].sort((a, b) => due(a).localeCompare(due(b)) || tie(a, b));
      expect(ids(await list({ sort: 'dueAt' }))).toEqual(ids(byDue));
      expect(ids(await list({ sort: '-dueAt' }))).toEqual(ids([...byDue].reverse()));
      const rank = (x: Task) => ['low', 'medium', 'high', 'urgent'].indexOf(x.priority);
      const byPriority = [...all].sort((a, b) => rank(a) - rank(b) || tie(a, b));
      expect(ids(await list({ sort: 'priority' }))).toEqual(ids(byPriority));
      expect(ids(await list({ sort: '-priority' }))).toEqual(ids([...byPriority].reverse()));
    });

    it('pages through every sort without duplicates or gaps', async () => {
      for (const sort of ['createdAt', '-createdAt', 'dueAt', '-dueAt', 'priority', '-priority'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = expectOk(await u.api.GET('/api/v1/tasks', { params: { query: { ownerId: u.user.id, sort, limit: 4, cursor } } }));
          seen.push(...ids(page.items));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(ids(await list({ sort })));
      }
    });

    it('refuses unknown sorts, bad limits and foreign or tampered cursors', async () => {
      const bad = async (query: Record<string, string | number>) => (await u.api.GET('/api/v1/tasks', { params: { query } })).response;
      expect((await bad({ sort: 'title' })).status).toBe(400);
      expect((await bad({ limit: 0 })).status).toBe(400);
      expect((await bad({ limit: 101 })).status).toBe(400);
      expect((await bad({ cursor: 'garbage' })).status).toBe(400);
      const page = expectOk(await u.api.GET('/api/v1/tasks', { params: { query: { sort: 'priority', limit: 1 } } }));
      const res = await u.api.GET('/api/v1/tasks', { params: { query: { sort: 'createdAt', cursor: page.nextCursor! } } });
      expect(res.response.status).toBe(400);
      expect((res.error as { code: string }).code).toBe('INVALID_CURSOR');
      const forged = Buffer.from(JSON.stringify(['createdAt', "'; DROP TABLE tasks; --", '00000000-0000-4000-8000-000000000000'])).toString('base64url');
      expect((await bad({ sort: 'createdAt', cursor: forged })).status).toBe(400);
    });
  });

  it('paging while tasks are inserted: no duplicates, no gaps', async () => {
    const u = await newUser(t);
    const originals: string[] = [];
    for (let i = 0; i < 23; i++) originals.push((await create(u.api, { title: `Original ${i}`, priority: (['low', 'medium', 'high', 'urgent'] as const)[i % 4] })).id);
    for (const sort of ['-createdAt', 'createdAt', 'priority', '-priority'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let inserted = 0;
      do {
        const page = expectOk(await u.api.GET('/api/v1/tasks', { params: { query: { sort, limit: 5, cursor } } }));
        seen.push(...page.items.map((x) => x.id));
        cursor = page.nextCursor ?? undefined;
        // Others keep creating tasks between page requests.
        await create(u.api, { title: `Inserted ${sort} ${inserted++}`, priority: 'high' });
        await create(u.api, { title: `Inserted ${sort} ${inserted++}`, priority: 'low' });
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of originals) expect(seen).toContain(id);
    }
  });

  it('a deleted account takes its tasks with it; tasks assigned to it become unassigned', async () => {
    const leaving = await newUser(t);
    const staying = await newUser(t);
    const owned = await create(leaving.api, { title: 'Owned by the leaver' });
    const assigned = await create(staying.api, { title: 'Assigned to the leaver', assigneeId: leaving.user.id });
    const res = await leaving.api.DELETE('/api/v1/users/me', { body: { password: leaving.password } });
    expect(res.response.status).toBe(204);
    expect((await admin.GET('/api/v1/tasks/{id}', { params: { path: { id: owned.id } } })).response.status).toBe(404);
    const after = expectOk(await staying.api.GET('/api/v1/tasks/{id}', { params: { path: { id: assigned.id } } }));
    expect(after.assigneeId).toBeNull();
    const history = expectOk(await staying.api.GET('/api/v1/tasks/{id}/history', { params: { path: { id: assigned.id } } }));
    expect(history.items[0].actorId).toBe(staying.user.id);
  });

  it('documents the ETag response header and If-Match in the OpenAPI document', async () => {
    const doc = await json(await fetch(`${t.baseUrl}/docs-json`));
    for (const [path, method, status] of [
      ['/api/v1/tasks', 'post', '201'],
      ['/api/v1/tasks/{id}', 'get', '200'],
      ['/api/v1/tasks/{id}', 'patch', '200'],
      ['/api/v1/tasks/{id}', 'put', '200'],
    ]) {
      expect(doc.paths[path][method].responses[status].headers.ETag).toBeDefined();
    }
    expect(doc.paths['/api/v1/tasks/{id}'].patch.parameters.map((p: { name: string }) => p.name)).toContain('If-Match');
    expect(Object.keys(doc.paths['/api/v1/tasks/{id}'].patch.responses)).toEqual(expect.arrayContaining(['403', '404', '412']));
  });
});
