import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One role name, one scope. Tokens now name an application's role `app:<clientId>:<name>` and a
 * global role by its plain name; from here on:
 *
 * - an application's role cannot take the name of a global role, nor a global role the name of an
 *   application's role (a trigger, serialised per name by an advisory lock, raises a unique violation
 *   naming `roles_name_shadows_global` or `roles_name_shadowed_by_application`);
 * - no role name starts with `app:` (a check constraint).
 *
 * Existing data: roles that break either rule are renamed (`<name>-<8 hex of the id>`, `app:` becoming
 * `app-`), each rename audited as `role.renamed`. Their holders' access tokens issued before now are
 * revoked: those tokens carry the old, ambiguous names (an application's `admin` read as the global
 * one — the escalation this closes); a refresh issues tokens with the new names.
 */
export class RoleNameScopes1795610000000 implements MigrationInterface {
  name = 'RoleNameScopes1795610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const offending: { id: string; name: string; application_id: string | null }[] = await queryRunner.query(
      `SELECT r.id, r.name, r.application_id FROM roles r
        WHERE r.name ~* '^app:'
           OR (r.application_id IS NOT NULL AND EXISTS (SELECT 1 FROM roles g WHERE g.application_id IS NULL AND lower(g.name) = lower(r.name)))
        ORDER BY r.id`,
    );
    for (const role of offending) {
      const base = role.name.replace(/^app:/i, 'app-').slice(0, 55);
      const renamed = `${base}-${role.id.replace(/-/g, '').slice(0, 8)}`;
      await queryRunner.query(`UPDATE roles SET name = $2, updated_at = now() WHERE id = $1`, [role.id, renamed]);
      await queryRunner.query(
        `INSERT INTO audit_events (type, actor_id, subject_id, at, data) VALUES ('role.renamed', NULL, $1, now(), $2)`,
        [role.id, JSON.stringify({ before: role.name, after: renamed, applicationId: role.application_id, reason: 'role names are unique across scopes' })],
      );
    }
    if (offending.length > 0) {
      await queryRunner.query(
        `INSERT INTO revocations (kind, subject_id, not_before, expires_at)
         SELECT DISTINCT 'user', ur.user_id, date_trunc('second', now()) + interval '1 second', now() + interval '1 day'
           FROM user_roles ur WHERE ur.role_id = ANY($1::uuid[])`,
        [offending.map((r) => r.id)],
      );
    }

    await queryRunner.query(`ALTER TABLE "roles" ADD CONSTRAINT "CHK_roles_name_not_qualified" CHECK ("name" !~* '^app:')`);
    await queryRunner.query(`
      CREATE FUNCTION roles_name_one_scope() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Serialise writers of the same name so that two scopes cannot both take it concurrently.
        PERFORM pg_advisory_xact_lock(hashtext('roles.name:' || lower(NEW.name)));
        IF NEW.application_id IS NOT NULL THEN
          IF EXISTS (SELECT 1 FROM roles WHERE application_id IS NULL AND lower(name) = lower(NEW.name) AND id <> NEW.id) THEN
            RAISE EXCEPTION 'role name "%" belongs to a global role', NEW.name
              USING ERRCODE = 'unique_violation', CONSTRAINT = 'roles_name_shadows_global', TABLE = 'roles';
          END IF;
        ELSIF EXISTS (SELECT 1 FROM roles WHERE application_id IS NOT NULL AND lower(name) = lower(NEW.name) AND id <> NEW.id) THEN
          RAISE EXCEPTION 'role name "%" belongs to an application''s role', NEW.name
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'roles_name_shadowed_by_application', TABLE = 'roles';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER "TRG_roles_name_one_scope" BEFORE INSERT OR UPDATE OF "name", "application_id" ON "roles" FOR EACH ROW EXECUTE FUNCTION roles_name_one_scope()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "TRG_roles_name_one_scope" ON "roles"`);
    await queryRunner.query(`DROP FUNCTION roles_name_one_scope()`);
    await queryRunner.query(`ALTER TABLE "roles" DROP CONSTRAINT "CHK_roles_name_not_qualified"`);
  }
}
