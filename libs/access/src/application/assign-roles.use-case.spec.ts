import { UserNotFoundError, UserRepository } from '@app/users';
import { Actor, ALL_PERMISSIONS, Permission, systemActor } from '@app/kernel';
import { inlineUnitOfWork, recordingAudit } from '../../../../test/support/fakes';
import { AccessCatalog } from '../domain/catalog';
import { AccessScope, Role, RoleRepository, UnknownRoleError } from '../domain/roles';
import { AccessChanges } from './access-changes';
import { AssignRolesUseCase } from './assign-roles.use-case';

const role = (name: string, permissions: Permission[], extra: Partial<Role> = {}): Role => ({
  id: `role-${name}`,
  name,
  description: null,
  permissions,
  active: true,
  system: false,
  applicationId: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...extra,
});

const ROLES = [
  role('admin', [], { system: true }),
  role('user', ['tasks:read:own'], { system: true }),
  role('auditor', ['audit:read']),
  role('support', ['users:read']),
];

/** Roles and assignments in memory. */
class MemoryRoles {
  readonly held = new Map<string, string[]>([['u1', ['role-user']]]);
  readonly users = new Set(['u1']);
  async findByNames(names: readonly string[], applicationId: string | null) {
    return ROLES.filter((r) => names.includes(r.name.toLowerCase()) && r.applicationId === applicationId);
  }
  async userRoles(userId: string, applicationId: string | null = null) {
    return ROLES.filter((r) => (this.held.get(userId) ?? []).includes(r.id) && r.applicationId === applicationId);
  }
  async replaceUserRoles(userId: string, _applicationId: string | null, ids: readonly string[]) {
    this.held.set(userId, [...ids]);
  }
  async userExists(userId: string) {
    return this.users.has(userId);
  }
}

function setup() {
  const roles = new MemoryRoles();
  const audit = recordingAudit();
  const announced: string[] = [];
  const catalog = {
    scopeOf: (): AccessScope => ({ global: true }),
    applicationById: () => undefined,
  } as unknown as AccessCatalog;
  const assignments = { announceUserChange: async (id: string) => void announced.push(id) };
  const uow = inlineUnitOfWork();
  const changes = new AccessChanges(uow, catalog, assignments as never);
  const users = { findById: async (id: string) => (roles.users.has(id) ? { id } : null) } as unknown as UserRepository;
  const useCase = new AssignRolesUseCase(uow, roles as unknown as RoleRepository, catalog, changes, audit, users);
  return { useCase, roles, audit, announced, uow };
}

const actorWith = (permissions: Permission[]): Actor => ({
  userId: 'actor',
  sessionId: 's',
  clientId: 'default',
  roles: ['custom'],
  permissions: new Set(permissions),
  tokenId: 't',
  issuedAt: 0,
  expiresAt: 0,
});
const ctx = { ip: '127.0.0.1', userAgent: 'unit' };

describe('AssignRolesUseCase (in-memory)', () => {
  it('sets the roles of the scope, announces the change and writes one audit row', async () => {
    const { useCase, roles, audit, announced } = setup();
    const result = await useCase.execute(actorWith([...ALL_PERMISSIONS]), ctx, 'u1', { roles: ['Auditor', 'user'] });
    expect(result.map((r) => r.name).sort()).toEqual(['auditor', 'user']);
    expect(roles.held.get('u1')!.sort()).toEqual(['role-auditor', 'role-user']);
    expect(announced).toEqual(['u1']);
    expect(audit.events).toEqual([
      { type: 'user.roles_assigned', actorId: 'actor', subjectId: 'u1', ...ctx, data: { applicationId: null, before: ['user'], after: ['auditor', 'user'] } },
    ]);
  });

  it('refuses to grant a role with permissions the actor does not hold (no escalation), and changes nothing', async () => {
    const { useCase, roles, audit, uow } = setup();
    await expect(useCase.execute(actorWith(['roles:assign', 'users:read']), ctx, 'u1', { roles: ['user', 'auditor'] })).rejects.toMatchObject({ code: 'PERMISSION_NOT_HELD' });
    // The system admin role grants every permission, whatever its stored list says.
    await expect(useCase.execute(actorWith(['roles:assign', 'users:read', 'tasks:read:own']), ctx, 'u1', { roles: ['user', 'admin'] })).rejects.toMatchObject({ code: 'PERMISSION_NOT_HELD' });
    // Taking a role away needs the same reach as giving it.
    roles.held.set('u1', ['role-user', 'role-auditor']);
    await expect(useCase.execute(actorWith(['roles:assign', 'tasks:read:own']), ctx, 'u1', { roles: ['user'] })).rejects.toMatchObject({ code: 'PERMISSION_NOT_HELD' });
    expect(roles.held.get('u1')).toEqual(['role-user', 'role-auditor']);
    expect(audit.events).toEqual([]);
    expect(uow.commits).toBe(0);
  });

  it('grants within reach: what the actor holds itself', async () => {
    const { useCase, roles } = setup();
    await useCase.execute(actorWith(['roles:assign', 'users:read', 'tasks:read:own']), ctx, 'u1', { roles: ['user', 'support'] });
    expect(roles.held.get('u1')!.sort()).toEqual(['role-support', 'role-user']);
  });

  it('names unknown roles and unknown users', async () => {
    const { useCase } = setup();
    await expect(useCase.execute(systemActor(), ctx, 'u1', { roles: ['nope', 'user'] })).rejects.toBeInstanceOf(UnknownRoleError);
    await expect(useCase.execute(systemActor(), ctx, 'ghost', { roles: ['user'] })).rejects.toBeInstanceOf(UserNotFoundError);
  });

  it('the CLI’s system actor goes through the same rules and is audited without a user, via the CLI', async () => {
    const { useCase, audit } = setup();
    await useCase.execute(systemActor(), { ip: null, userAgent: null }, 'u1', { roles: ['admin'] });
    expect(audit.events[0]).toMatchObject({ type: 'user.roles_assigned', actorId: null, subjectId: 'u1', data: { before: ['user'], after: ['admin'], via: 'cli' } });
  });
});
