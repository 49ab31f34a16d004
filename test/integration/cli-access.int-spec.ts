import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const root = join(__dirname, '..', '..');
const cliMain = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

/** The operators' CLI as built by `npm run build` (npm test builds first), on the test database. */
describe('CLI: roles:seed, roles:list, user:roles', () => {
  let db: TestDatabase;
  let pg: Client;

  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [cliMain, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  beforeAll(async () => {
    if (!existsSync(cliMain)) throw new Error('build first: npm run build');
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await db.drop();
  });

  it('roles:seed is idempotent and repairs the system roles', async () => {
    expect(cli('roles:seed')).toMatchObject({ code: 0, out: 'roles are up to date\n' });
    await pg.query(`UPDATE roles SET permissions = '{}' WHERE name = 'user'`);
    await pg.query(`UPDATE roles SET permissions = '{tasks:read:own}', active = false WHERE name = 'admin'`);
    const repaired = cli('roles:seed');
    expect(repaired.code).toBe(0);
    expect(repaired.out).toContain('updated role admin');
    expect(repaired.out).toContain('updated role user');
    expect(cli('roles:seed').out).toBe('roles are up to date\n');
    const { rows } = await pg.query(`SELECT name, permissions, active FROM roles WHERE system ORDER BY name`);
    expect(rows[0]).toMatchObject({ name: 'admin', active: true });
    expect(rows[0].permissions).toEqual(expect.arrayContaining(['audit:read', 'roles:write', 'tasks:read:any']));
    expect([...rows[1].permissions].sort()).toEqual(['tasks:read:own', 'tasks:write:own']);
  });

  it('roles:list shows every role with its scope', async () => {
    await pg.query(`INSERT INTO applications (client_id, name) VALUES ('shop', 'Shop')`);
    await pg.query(`INSERT INTO roles (name, permissions, application_id) SELECT 'clerk', '{users:read}', id FROM applications WHERE client_id = 'shop'`);
    const listed = cli('roles:list');
    expect(listed.code).toBe(0);
    const lines = listed.out.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^admin\t\(global\)\tactive\tsystem\t/), 'clerk\tshop\tactive\tusers:read']));
  });

  it('user:roles shows and sets a user’s roles per scope, refusing unknown ones', async () => {
    const { rows } = await pg.query(`INSERT INTO users (username, status) VALUES ('cli_person', 'active') RETURNING id`);
    const id = rows[0].id as string;
    expect(cli('user:roles', 'CLI_Person').out).toContain('(no roles)');
    const set = cli('user:roles', 'cli_person', 'admin', 'user');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/admin\t\(global\)/);
    const scoped = cli('user:roles', 'cli_person', 'clerk', '--app', 'shop');
    expect(scoped.out).toContain('clerk\tshop');
    expect(scoped.out).toMatch(/admin\t\(global\)/);
    const bad = cli('user:roles', 'cli_person', 'no-such-role');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('no-such-role');
    const held = await pg.query(`SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 ORDER BY r.name`, [id]);
    expect(held.rows.map((r) => r.name)).toEqual(['admin', 'clerk', 'user']);
    // Through the same use case as the API: audited with no actor, marked as coming from the CLI.
    const audited = await pg.query(`SELECT actor_id, data FROM audit_events WHERE type = 'user.roles_assigned' AND subject_id = $1 ORDER BY at`, [id]);
    expect(audited.rows).toEqual([
      { actor_id: null, data: { applicationId: null, before: [], after: ['admin', 'user'], via: 'cli' } },
      { actor_id: null, data: expect.objectContaining({ before: [], after: ['clerk'], via: 'cli' }) },
    ]);
    expect(cli('user:roles', 'nobody_here').code).toBe(1);
  });

  it('app:redirect-uris shows, sets, adds and removes an application’s redirect URIs, refusing bad ones', async () => {
    await pg.query(`INSERT INTO applications (client_id, name) VALUES ('webapp', 'Web app')`);
    expect(cli('app:redirect-uris', 'webapp')).toMatchObject({ code: 0, out: '(no redirect URIs)\n' });
    expect(cli('app:redirect-uris', 'webapp', 'https://app.example.test/cb', 'http://localhost:5173/cb')).toMatchObject({ code: 0, out: 'https://app.example.test/cb\nhttp://localhost:5173/cb\n' });
    expect(cli('app:redirect-uris', 'webapp', '--add', 'com.example.app:/oauth2redirect', '--remove', 'http://localhost:5173/cb').out).toBe('https://app.example.test/cb\ncom.example.app:/oauth2redirect\n');
    const bad = cli('app:redirect-uris', 'webapp', '--add', 'javascript:alert(1)');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('redirect');
    expect(cli('app:list').out).toContain('webapp\tWeb app\tactive\thttps://app.example.test/cb com.example.app:/oauth2redirect');
    const { rows } = await pg.query(`SELECT redirect_uris FROM applications WHERE client_id = 'webapp'`);
    expect(rows[0].redirect_uris).toEqual(['https://app.example.test/cb', 'com.example.app:/oauth2redirect']);
    expect(cli('app:redirect-uris', 'nope').code).toBe(1);
    // Through the same use case as PATCH /applications/{id}: each change audited, with no actor, from the CLI.
    const audited = await pg.query(`SELECT actor_id, data FROM audit_events WHERE type = 'application.updated' ORDER BY at`);
    expect(audited.rows).toEqual([
      { actor_id: null, data: { clientId: 'webapp', redirectUris: ['https://app.example.test/cb', 'http://localhost:5173/cb'], via: 'cli' } },
      { actor_id: null, data: { clientId: 'webapp', redirectUris: ['https://app.example.test/cb', 'com.example.app:/oauth2redirect'], via: 'cli' } },
    ]);
  });
});
