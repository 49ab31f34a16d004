import { permissionsBeyondApplication, permissionsNotHeld, roleWithinReach, userIsMember, userWithinReach } from './access-rules';
import { ALL_PERMISSIONS, OWN_PERMISSIONS, Permission } from '@app/kernel';
import type { AccessScope } from './roles';

const GLOBAL: AccessScope = { global: true };
const inX: AccessScope = { global: false, applicationIds: new Set(['x']) };
const held = new Set<Permission>(['roles:read', 'roles:write', 'roles:assign', 'users:read']);

describe('permissionsNotHeld', () => {
  it('lists what the actor lacks, once and sorted', () => {
    expect(permissionsNotHeld(held, ['users:write', 'roles:read', 'audit:read', 'users:write'])).toEqual(['audit:read', 'users:write']);
    expect(permissionsNotHeld(held, [])).toEqual([]);
  });
});

describe('roleWithinReach', () => {
  it('needs the role in scope and every permission it grants held', () => {
    expect(roleWithinReach(inX, held, { applicationId: 'x', permissions: ['roles:read'] })).toBe(true);
    expect(roleWithinReach(inX, held, { applicationId: 'x', permissions: ['applications:write'] })).toBe(false);
    expect(roleWithinReach(inX, held, { applicationId: 'y', permissions: [] })).toBe(false);
    expect(roleWithinReach(inX, held, { applicationId: null, permissions: [] })).toBe(false);
    expect(roleWithinReach(GLOBAL, new Set(ALL_PERMISSIONS), { applicationId: null, permissions: ALL_PERMISSIONS })).toBe(true);
  });
});

describe('userWithinReach', () => {
  const plain = { applicationId: null, permissions: OWN_PERMISSIONS };
  const xMember = { applicationId: 'x', permissions: [] as Permission[] };

  it('reaches everyone with a global permission', () => {
    expect(userWithinReach(GLOBAL, [{ applicationId: null, permissions: ALL_PERMISSIONS }])).toBe(true);
    expect(userWithinReach(GLOBAL, [])).toBe(true);
  });

  it('confines an application admin to ordinary members of its application', () => {
    expect(userWithinReach(inX, [plain, xMember])).toBe(true);
    expect(userWithinReach(inX, [xMember, { applicationId: 'x', permissions: ['users:write'] }])).toBe(true);
    // not a member
    expect(userWithinReach(inX, [plain])).toBe(false);
    expect(userWithinReach(inX, [])).toBe(false);
    // a member who holds more elsewhere: a global admin, another application's member
    expect(userWithinReach(inX, [xMember, { applicationId: null, permissions: ALL_PERMISSIONS }])).toBe(false);
    expect(userWithinReach(inX, [xMember, { applicationId: null, permissions: ['tasks:read:any'] }])).toBe(false);
    expect(userWithinReach(inX, [xMember, { applicationId: 'y', permissions: [] }])).toBe(false);
  });
});

describe('userIsMember', () => {
  it('is a role in one of the actor’s applications (or a global reach)', () => {
    expect(userIsMember(inX, [{ applicationId: 'x' }])).toBe(true);
    expect(userIsMember(inX, [{ applicationId: null }, { applicationId: 'y' }])).toBe(false);
    expect(userIsMember(GLOBAL, [])).toBe(true);
  });
});

describe('permissionsBeyondApplication', () => {
  it('keeps an application admin from handing out permissions over resources of no application', () => {
    expect(permissionsBeyondApplication(inX, ['audit:read', 'users:read', 'tasks:read:any', 'tasks:read:own'])).toEqual(['audit:read', 'tasks:read:any']);
    expect(permissionsBeyondApplication(GLOBAL, ['audit:read', 'tasks:write:any'])).toEqual([]);
  });

  it('puts such a role out of an application admin’s reach even when it holds the permission', () => {
    const wide = new Set<Permission>([...held, 'audit:read']);
    expect(roleWithinReach(inX, wide, { applicationId: 'x', permissions: ['audit:read'] })).toBe(false);
    expect(roleWithinReach(inX, wide, { applicationId: 'x', permissions: ['users:read'] })).toBe(true);
  });
});
