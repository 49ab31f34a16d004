import type { DataSource } from 'typeorm';
import { RoleNameScopes1795610000000 } from '../../migrations/1795610000000-RoleNameScopes';
import { createTestDatabase, openDataSource, TestDatabase } from '../support/test-database';

/** The RoleNameScopes migration on data written before it: clashing names are renamed, holders' tokens revoked. */
describe('migration RoleNameScopes on existing data', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const migration = new RoleNameScopes1795610000000();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const run = async (step: 'up' | 'down') => {
    const qr = ds.createQueryRunner();
    try {
      await qr.startTransaction();
      await migration[step](qr);
      await qr.commitTransaction();
    } finally {
      await qr.release();
    }
  };

  it('renames application roles that shadow global ones and reserved names, audits it and revokes their holders', async () => {
    await run('down');
    const [app] = await ds.query(`INSERT INTO applications (client_id, name) VALUES ('legacy', 'Legacy') RETURNING id`);
    const roles: { id: string; name: string }[] = await ds.query(
      `INSERT INTO roles (name, permissions, application_id) VALUES ('Admin', '{roles:read}', $1), ('clerk', '{}', $1), ('app:legacy:x', '{}', NULL) RETURNING id, name`,
      [app.id],
    );
    const byName = new Map(roles.map((r) => [r.name, r.id]));
    const [holder] = await ds.query(`INSERT INTO users (username, password_hash, status) VALUES ('legacy_holder', 'x', 'active') RETURNING id`);
    const [bystander] = await ds.query(`INSERT INTO users (username, password_hash, status) VALUES ('legacy_clerk', 'x', 'active') RETURNING id`);
    await ds.query(`INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2), ($3, $4)`, [holder.id, byName.get('Admin'), bystander.id, byName.get('clerk')]);

    await run('up');

    const after = new Map<string, string>((await ds.query(`SELECT id, name FROM roles WHERE id = ANY($1::uuid[])`, [[...byName.values()]])).map((r: { id: string; name: string }) => [r.id, r.name]));
    expect(after.get(byName.get('Admin')!)).toBe(`Admin-${byName.get('Admin')!.replace(/-/g, '').slice(0, 8)}`);
    expect(after.get(byName.get('app:legacy:x')!)).toBe(`app-legacy:x-${byName.get('app:legacy:x')!.replace(/-/g, '').slice(0, 8)}`);
    expect(after.get(byName.get('clerk')!)).toBe('clerk');
    const audited = await ds.query(`SELECT subject_id, data FROM audit_events WHERE type = 'role.renamed' ORDER BY data->>'before'`);
    expect(audited.map((a: { data: { before: string } }) => a.data.before)).toEqual(['Admin', 'app:legacy:x']);
    const revoked = await ds.query(`SELECT subject_id FROM revocations WHERE kind = 'user'`);
    expect(revoked.map((r: { subject_id: string }) => r.subject_id)).toEqual([holder.id]);

    // From now on the database refuses clashes itself, whichever way round, and reserved names.
    await expect(ds.query(`INSERT INTO roles (name, application_id) VALUES ('ADMIN', $1)`, [app.id])).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'roles_name_shadows_global' } });
    await expect(ds.query(`INSERT INTO roles (name) VALUES ('Clerk')`)).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'roles_name_shadowed_by_application' } });
    await expect(ds.query(`UPDATE roles SET name = 'user' WHERE id = $1`, [byName.get('clerk')])).rejects.toMatchObject({ driverError: { constraint: 'roles_name_shadows_global' } });
    await expect(ds.query(`INSERT INTO roles (name) VALUES ('APP:x:y')`)).rejects.toMatchObject({ driverError: { code: '23514' } });
  });
});
