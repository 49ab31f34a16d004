import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccessCatalog, ApplicationsUseCases, AssignRolesUseCase } from '@app/access';
import { ALL_PERMISSIONS, OWN_PERMISSIONS, SYSTEM_ROLES, systemActor } from '@app/kernel';
import { parseLoginIdentifier } from '@app/users';
import { withAppContext } from '../app-context';
import { withDataSource } from '../database';

/** Tells running instances to reload roles and applications (they LISTEN on this channel). */
const announce = (m: EntityManager) => m.query(`SELECT pg_notify('access_changed', 'changed')`);

/**
 * Makes sure the default application and the system roles exist with the current catalogue: `admin`
 * every permission, `user` the `:own` ones. Safe to run any number of times.
 */
export async function seedRoles(ds: DataSource): Promise<string[]> {
  return ds.transaction(async (m) => {
    const changes: string[] = [];
    const apps: unknown[] = await m.query(`SELECT 1 FROM applications WHERE is_default`);
    if (apps.length === 0) {
      await m.query(`INSERT INTO applications (client_id, name, is_default) VALUES ('default', 'Default application', true) ON CONFLICT (client_id) DO UPDATE SET is_default = true`);
      changes.push('created the default application');
    }
    const system = [
      { name: SYSTEM_ROLES.admin, description: 'Every permission', permissions: [...ALL_PERMISSIONS].sort() },
      { name: SYSTEM_ROLES.user, description: 'Own tasks and account', permissions: [...OWN_PERMISSIONS].sort() },
    ];
    for (const role of system) {
      const rows: { id: string; permissions: string[]; active: boolean; system: boolean }[] = await m.query(
        `SELECT id, permissions, active, system FROM roles WHERE lower(name) = $1 AND application_id IS NULL FOR UPDATE`,
        [role.name],
      );
      if (rows.length === 0) {
        await m.query(`INSERT INTO roles (name, description, permissions, system) VALUES ($1, $2, $3, true)`, [role.name, role.description, role.permissions]);
        changes.push(`created role ${role.name}`);
        continue;
      }
      const current = rows[0];
      const same = current.system && current.active && [...current.permissions].sort().join() === role.permissions.join();
      if (!same) {
        await m.query(`UPDATE roles SET permissions = $2, active = true, system = true, updated_at = now() WHERE id = $1`, [current.id, role.permissions]);
        changes.push(`updated role ${role.name}`);
      }
    }
    if (changes.length > 0) await announce(m);
    return changes;
  });
}

interface RoleRow {
  name: string;
  client_id: string | null;
  active: boolean;
  system: boolean;
  permissions: string[];
}

const describe = (r: RoleRow) =>
  `${r.name}\t${r.client_id ?? '(global)'}\t${r.active ? 'active' : 'inactive'}${r.system ? '\tsystem' : ''}\t${r.permissions.join(' ')}`;

async function findUser(ds: DataSource, login: string): Promise<{ id: string; username: string }> {
  const id = parseLoginIdentifier(login);
  const column = id.kind === 'username' ? 'lower(username)' : id.kind;
  const users: { id: string; username: string }[] = await ds.query(`SELECT id, username FROM users WHERE ${column} = $1`, [id.value]);
  if (users.length === 0) throw new Error(`no user "${login}"`);
  return users[0];
}

async function showUserRoles(ds: DataSource, user: { id: string; username: string }, out: (line: string) => void): Promise<void> {
  const rows: RoleRow[] = await ds.query(
    `SELECT r.name, a.client_id, r.active, r.system, r.permissions
       FROM user_roles ur JOIN roles r ON r.id = ur.role_id LEFT JOIN applications a ON a.id = r.application_id
      WHERE ur.user_id = $1 ORDER BY a.client_id NULLS FIRST, lower(r.name)`,
    [user.id],
  );
  out(`${user.username} (${user.id})`);
  rows.forEach((r) => out(`  ${describe(r)}`));
  if (rows.length === 0) out('  (no roles)');
}

/**
 * Sets a user's roles of one scope through the service's own use case (`PUT /users/:id/roles`), as
 * the system actor: the same validation and rules, one transaction, the audit event. Like any
 * assignment it takes effect at the user's next token refresh.
 */
async function assignRoles(app: INestApplicationContext, userId: string, roles: string[], clientId: string | undefined): Promise<void> {
  let applicationId: string | null = null;
  if (clientId !== undefined) {
    const application = app.get(AccessCatalog).application(clientId);
    if (!application) throw new Error(`no application "${clientId}"`);
    applicationId = application.id;
  }
  await app.get(AssignRolesUseCase).execute(systemActor(), { ip: null, userAgent: null }, userId, { roles, applicationId });
}

export function registerAccessCommands(program: Command, context: CliContext): void {
  const { out } = context;
  program
    .command('roles:seed')
    .description('create or repair the default application and the system roles (idempotent)')
    .action(() =>
      withDataSource(context, async (ds) => {
        const changes = await seedRoles(ds);
        out(changes.length ? changes.join('\n') : 'roles are up to date');
      }),
    );

  program
    .command('roles:list')
    .description('list roles: name, application, status, permissions')
    .action(() =>
      withDataSource(context, async (ds) => {
        const rows: RoleRow[] = await ds.query(
          `SELECT r.name, a.client_id, r.active, r.system, r.permissions
             FROM roles r LEFT JOIN applications a ON a.id = r.application_id
            ORDER BY a.client_id NULLS FIRST, lower(r.name)`,
        );
        rows.forEach((r) => out(describe(r)));
      }),
    );

  program
    .command('user:roles')
    .argument('<login>', 'username, email or phone of the user')
    .argument('[roles...]', 'role names to set for the scope (omit to only show the roles)')
    .option('--app <clientId>', 'the application whose roles are set (default: the global roles)')
    .option('--clear', 'remove every role of the scope')
    .description("show a user's roles, or set the roles of one scope (global, or one application with --app)")
    .action(async (login: string, roles: string[], options: { app?: string; clear?: boolean }) => {
      if (roles.length === 0 && !options.clear) {
        await withDataSource(context, async (ds) => showUserRoles(ds, await findUser(ds, login), out));
        return;
      }
      await withAppContext(context, async (app) => {
        const ds = app.get(DataSource);
        const user = await findUser(ds, login);
        await assignRoles(app, user.id, roles, options.app);
        await showUserRoles(ds, user, out);
      });
    });

  program
    .command('app:list')
    .description('list applications: clientId, name, status, redirect URIs')
    .action(() =>
      withDataSource(context, async (ds) => {
        const rows: { client_id: string; name: string; active: boolean; redirect_uris: string[] }[] = await ds.query(
          `SELECT client_id, name, active, redirect_uris FROM applications ORDER BY created_at, id`,
        );
        rows.forEach((r) => out([r.client_id, r.name, r.active ? 'active' : 'inactive', r.redirect_uris.join(' ') || '(no redirect URIs)'].join('\t')));
      }),
    );

  program
    .command('app:redirect-uris')
    .argument('<clientId>', 'the application')
    .argument('[uris...]', 'the exact redirect URIs to set (replacing the list)')
    .option('--add <uri...>', 'add these URIs to the list')
    .option('--remove <uri...>', 'remove these URIs from the list')
    .option('--clear', 'remove every redirect URI')
    .description("show or set an application's redirect URIs for sign-in with external providers")
    .action(async (clientId: string, uris: string[], options: { add?: string[]; remove?: string[]; clear?: boolean }) => {
      const changes = options.clear || uris.length > 0 || options.add !== undefined || options.remove !== undefined;
      const show = (list: readonly string[]) => out(list.length ? list.join('\n') : '(no redirect URIs)');
      if (!changes) {
        await withDataSource(context, async (ds) => {
          const rows: { redirect_uris: string[] }[] = await ds.query(`SELECT redirect_uris FROM applications WHERE client_id = $1`, [clientId]);
          if (rows.length === 0) throw new Error(`no application "${clientId}"`);
          show(rows[0].redirect_uris);
        });
        return;
      }
      // The same use case as PATCH /applications/{id}: its validation (REDIRECT_URI_INVALID), its
      // audit event (application.updated, by the system actor) and the reload on every instance.
      await withAppContext(context, async (app) => {
        const application = app.get(AccessCatalog).application(clientId);
        if (!application) throw new Error(`no application "${clientId}"`);
        let next: string[] = options.clear ? [] : uris.length > 0 ? uris : [...application.redirectUris];
        if (options.add || options.remove) next = [...next, ...(options.add ?? [])].filter((u) => !(options.remove ?? []).includes(u));
        try {
          const saved = await app.get(ApplicationsUseCases).update(systemActor(), { ip: null, userAgent: null }, application.id, { redirectUris: next });
          show(saved.redirectUris);
        } catch (error) {
          const details = (error as { errors?: { message: string }[] }).errors;
          if (details?.length) throw new Error(`${(error as Error).message}: ${details.map((d) => d.message).join('; ')}`, { cause: error });
          throw error;
        }
      });
    });
}
