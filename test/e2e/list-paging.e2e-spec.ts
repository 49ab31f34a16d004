import { randomBytes } from 'node:crypto';
import type { ApiClient } from '@identity-task/client';
import { pages } from '@identity-task/client';
import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every list pages the same way: `?limit=` (1..100, default 20) and an opaque `?cursor=`, answering
 * `{ items, nextCursor }`. Walking a list page by page gives each item once, in the order of one
 * big page; a forged cursor of any kind is 400 `INVALID_CURSOR`, never a 500.
 */

type PageQuery = { limit?: number; cursor?: string };
type PageResult = { data?: { items: object[]; nextCursor: string | null }; error?: unknown; response: Response };

interface List {
  name: string;
  fetch(query: PageQuery): Promise<PageResult>;
  key(item: object): string;
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;

/** Cursors a client could make up: garbage, bad JSON, and a real cursor with each value spoiled. */
function forgedCursors(genuine: string): string[] {
  const values = JSON.parse(Buffer.from(genuine, 'base64url').toString('utf8')) as unknown[];
  const forged = [
    randomBytes(24).toString('base64url'),
    randomBytes(300).toString('base64url'),
    'not a cursor!',
    `${genuine}=`,
    b64('{"a":'),
    b64('[1,2'),
    b64('null'),
    b64('{"createdAt":"2026-01-01T00:00:00.000Z"}'),
    b64('[]'),
    b64(JSON.stringify([...values, 1])),
    b64(JSON.stringify(values.slice(1))),
    b64(JSON.stringify(values.map(() => null))),
    b64(JSON.stringify([[[[[[values]]]]]])),
    'A'.repeat(600),
  ];
  values.forEach((value, i) => {
    const spoiled: unknown[] = [];
    if (typeof value === 'string' && UUID.test(value)) spoiled.push('not-a-uuid', `${value}'--`, value.slice(1), 12345);
    else if (typeof value === 'string' && TIMESTAMP.test(value)) {
      spoiled.push('-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '+300000-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-01-01T25:00:00Z', 'tomorrow', 1e300);
    } else if (typeof value === 'number') spoiled.push(1e300, -1, 1.5, 2 ** 53, -(2 ** 63), '1', null);
    else spoiled.push('x'.repeat(64), 42, {});
    for (const s of spoiled) forged.push(b64(JSON.stringify(values.map((v, j) => (j === i ? s : v)))));
  });
  return forged;
}

/** Walks a list page by page with `limit`, returning every item's key and the number of pages. */
async function walk(list: List, limit: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let count = 0;
  for await (const items of pages((cursor) => list.fetch({ limit, cursor }))) {
    count += 1;
    expect(items.length).toBeLessThanOrEqual(limit);
    keys.push(...items.map(list.key));
    if (count > 200) throw new Error(`${list.name}: no end in sight`);
  }
  return { keys, pages: count };
}

describe('paging on every list', () => {
  let t: TestApp;
  let admin: ApiClient;
  let adminId: string;
  let member: TestUser;
  let taskId: string;
  let lists: List[];

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '100000' } });
    const signedIn = await loginAdmin(t);
    admin = signedIn.api;
    adminId = expectOk(await admin.GET('/api/v1/users/me')).id;
    // More of everything than one small page holds.
    member = await newUser(t);
    for (let i = 0; i < 4; i++) await newUser(t);
    for (let i = 0; i < 4; i++) expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: member.user.username, password: member.password } }));
    for (let i = 0; i < 4; i++) await loginAdmin(t);
    const tag = randomBytes(3).toString('hex');
    expectOk(await admin.POST('/api/v1/roles', { body: { items: Array.from({ length: 6 }, (_, i) => ({ name: `pager-${tag}-${i}`, permissions: ['tasks:read:any'] })) } }));
    for (let i = 0; i < 5; i++) expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `pager-${tag}-${i}`, name: `Pager ${i}` } }));
    const priorities = ['low', 'medium', 'high', 'urgent'] as const;
    for (let i = 0; i < 9; i++) {
      const dueAt = i % 3 === 0 ? undefined : new Date(Date.UTC(2030, 0, 1 + (i % 4))).toISOString();
      expectOk(await admin.POST('/api/v1/tasks', { body: { title: `Task ${i}`, priority: priorities[i % 4], dueAt } }));
    }
    taskId = expectOk(await admin.POST('/api/v1/tasks', { body: { title: 'Often edited' } })).id;
    for (let i = 0; i < 6; i++) expectOk(await admin.PATCH('/api/v1/tasks/{id}', { params: { path: { id: taskId } }, body: { title: `Edit ${i}` } }));

    const byId = (item: object) => (item as { id: string | number }).id.toString();
    lists = [
      { name: 'users', fetch: (query) => admin.GET('/api/v1/users', { params: { query } }), key: byId },
      { name: 'users (filtered)', fetch: (query) => admin.GET('/api/v1/users', { params: { query: { ...query, status: 'pending' } } }), key: byId },
      { name: 'roles', fetch: (query) => admin.GET('/api/v1/roles', { params: { query } }), key: byId },
      { name: 'active roles', fetch: (query) => admin.GET('/api/v1/roles', { params: { query: { ...query, active: true } } }), key: byId },
      { name: 'permissions', fetch: (query) => admin.GET('/api/v1/permissions', { params: { query } }), key: (item) => (item as { name: string }).name },
      { name: 'applications', fetch: (query) => admin.GET('/api/v1/applications', { params: { query } }), key: byId },
      { name: 'own sessions', fetch: (query) => admin.GET('/api/v1/auth/sessions', { params: { query } }), key: byId },
      { name: 'a user’s sessions', fetch: (query) => admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: member.user.id }, query } }), key: byId },
      { name: 'audit events', fetch: (query) => admin.GET('/api/v1/audit-events', { params: { query: { ...query, type: 'login.succeeded' } } }), key: byId },
      { name: 'notifications', fetch: (query) => admin.GET('/api/v1/notifications', { params: { query } }), key: byId },
      { name: 'tasks', fetch: (query) => admin.GET('/api/v1/tasks', { params: { query } }), key: byId },
      { name: 'tasks by -dueAt', fetch: (query) => admin.GET('/api/v1/tasks', { params: { query: { ...query, sort: '-dueAt' } } }), key: byId },
      { name: 'tasks by priority', fetch: (query) => admin.GET('/api/v1/tasks', { params: { query: { ...query, sort: 'priority' } } }), key: byId },
      { name: 'task history', fetch: (query) => admin.GET('/api/v1/tasks/{id}/history', { params: { path: { id: taskId }, query } }), key: byId },
    ];
  });
  afterAll(() => t.close());

  it('walks every list in small pages: each item once, in the order of one big page', async () => {
    for (const list of lists) {
      const all = expectOk(await list.fetch({ limit: 100 }));
      expect({ list: list.name, nextCursor: all.nextCursor }).toEqual({ list: list.name, nextCursor: null });
      expect({ list: list.name, enough: all.items.length >= 5 }).toEqual({ list: list.name, enough: true });
      for (const limit of [1, 2, 3]) {
        const { keys, pages: count } = await walk(list, limit);
        expect({ list: list.name, limit, keys }).toEqual({ list: list.name, limit, keys: all.items.map(list.key) });
        expect({ list: list.name, limit, pages: count }).toEqual({ list: list.name, limit, pages: Math.max(1, Math.ceil(keys.length / limit)) });
      }
    }
  });

  it('answers { items, nextCursor } with 20 items by default, and sessions mark the current one', async () => {
    for (const list of lists) {
      const res = await list.fetch({});
      expect(res.response.status).toBe(200);
      expect(Object.keys(res.data!).sort()).toEqual(['items', 'nextCursor']);
      expect(res.data!.items.length).toBeLessThanOrEqual(20);
    }
    const own = expectOk(await admin.GET('/api/v1/auth/sessions', { params: { query: { limit: 100 } } }));
    expect(own.items.filter((s) => s.current)).toHaveLength(1);
    const theirs = expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: member.user.id }, query: { limit: 2 } } }));
    expect(theirs.items.map((s) => s.current)).toEqual([false, false]);
    // Newest first, by when the session started.
    const starts = own.items.map((s) => s.createdAt);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('neither repeats nor skips an item when rows are added between pages', async () => {
    const users = lists.find((l) => l.name === 'users')!;
    const before = expectOk(await users.fetch({ limit: 100 })).items.map(users.key);
    const first = expectOk(await users.fetch({ limit: 2 }));
    const added = (await newUser(t)).user.id; // newest first: it lands before the cursor, not after it
    const rest: string[] = [];
    for await (const items of pages((cursor) => users.fetch({ limit: 2, cursor }), first.nextCursor!)) rest.push(...items.map(users.key));
    expect([...first.items.map(users.key), ...rest]).toEqual(before);
    expect(rest).not.toContain(added);
  });

  it('refuses a limit outside 1..100 with a 400 problem', async () => {
    for (const list of lists) {
      for (const limit of [101, 0, -1, 1.5, 1e21]) {
        const res = await list.fetch({ limit });
        expect({ list: list.name, limit, status: res.response.status, type: res.response.headers.get('content-type') }).toEqual({
          list: list.name,
          limit,
          status: 400,
          type: expect.stringContaining('application/problem+json'),
        });
        expect(res.error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'limit' })] });
      }
      expect((await list.fetch({ limit: 100 })).response.status).toBe(200);
    }
    const raw = await fetch(`${t.baseUrl}/api/v1/roles?limit=abc`, { headers: { authorization: `Bearer ${(await loginAdmin(t)).tokens.accessToken}` } });
    expect(raw.status).toBe(400);
  });

  it('answers 400 INVALID_CURSOR to every kind of forged cursor, on every list', async () => {
    for (const list of lists) {
      const genuine = expectOk(await list.fetch({ limit: 1 })).nextCursor!;
      expect(genuine).toEqual(expect.any(String));
      for (const cursor of forgedCursors(genuine)) {
        const res = await list.fetch({ limit: 1, cursor });
        const body = res.error as { code?: string } | undefined;
        expect({ list: list.name, cursor, status: res.response.status, code: body?.code }).toEqual({ list: list.name, cursor, status: 400, code: 'INVALID_CURSOR' });
        expect(res.response.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  it('takes an absent or empty cursor as the first page, and refuses a cursor of another sort', async () => {
    const tasks = lists.find((l) => l.name === 'tasks')!;
    const first = expectOk(await tasks.fetch({ limit: 2 }));
    expect(expectOk(await tasks.fetch({ limit: 2, cursor: '' }))).toEqual(first);
    const byPriority = expectOk(await admin.GET('/api/v1/tasks', { params: { query: { limit: 1, sort: 'priority' } } })).nextCursor!;
    const mixed = await admin.GET('/api/v1/tasks', { params: { query: { limit: 1, sort: 'createdAt', cursor: byPriority } } });
    expect(mixed.response.status).toBe(400);
    expect(mixed.error).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('pages only what the caller may see: one’s own sessions, whatever the cursor', async () => {
    const mine = expectOk(await member.api.GET('/api/v1/auth/sessions', { params: { query: { limit: 100 } } }));
    const adminView = expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: member.user.id }, query: { limit: 100 } } }));
    expect(mine.items.map((s) => s.id)).toEqual(adminView.items.map((s) => s.id));
    const adminsOwn = expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: adminId }, query: { limit: 100 } } }));
    expect(adminsOwn.items.some((s) => mine.items.some((m) => m.id === s.id))).toBe(false);
    // A member's cursor does not open anyone else's sessions: it only names a position.
    const page = expectOk(await member.api.GET('/api/v1/auth/sessions', { params: { query: { limit: 1 } } }));
    const next = expectOk(await member.api.GET('/api/v1/auth/sessions', { params: { query: { limit: 100, cursor: page.nextCursor! } } }));
    expect(next.items.every((s) => mine.items.some((m) => m.id === s.id))).toBe(true);
  });
});
