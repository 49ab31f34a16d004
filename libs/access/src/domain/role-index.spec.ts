import type { ApplicationView, RoleView } from './catalog';
import { ALL_PERMISSIONS, OWN_PERMISSIONS } from '@app/kernel';
import { RoleIndex } from './role-index';
import { isReservedRoleName, parseTokenRoleName, tokenRoleName } from './role-reference';

const app = (id: string, clientId: string): ApplicationView => ({ id, clientId, name: clientId, active: true, isDefault: false, redirectUris: [] });
const role = (over: Partial<RoleView> & Pick<RoleView, 'name'>): RoleView => ({
  id: `${over.applicationId ?? 'g'}-${over.name}`,
  permissions: [],
  active: true,
  applicationId: null,
  system: false,
  ...over,
});

describe('token role names', () => {
  it('keeps a global role plain and qualifies an application role with its clientId', () => {
    expect(tokenRoleName('admin', null)).toBe('admin');
    expect(tokenRoleName('admin', 'shop')).toBe('app:shop:admin');
  });

  it('reads both forms back, and refuses malformed qualified names', () => {
    expect(parseTokenRoleName('admin')).toEqual({ clientId: null, name: 'admin' });
    expect(parseTokenRoleName('tasks:reader')).toEqual({ clientId: null, name: 'tasks:reader' });
    expect(parseTokenRoleName('app:shop:admin')).toEqual({ clientId: 'shop', name: 'admin' });
    expect(parseTokenRoleName('app:shop:a:b')).toEqual({ clientId: 'shop', name: 'a:b' });
    expect(parseTokenRoleName('APP:shop:admin')).toEqual({ clientId: 'shop', name: 'admin' });
    for (const bad of ['', 'app:', 'app:shop', 'app::admin', 'app:shop:']) expect(parseTokenRoleName(bad)).toBeNull();
  });

  it('reserves the app: prefix in any letter case', () => {
    expect(isReservedRoleName('app:x')).toBe(true);
    expect(isReservedRoleName('App:x')).toBe(true);
    expect(isReservedRoleName('apple')).toBe(false);
    expect(isReservedRoleName('app-admin')).toBe(false);
  });
});

describe('RoleIndex', () => {
  const shop = app('a-shop', 'shop');
  const blog = app('a-blog', 'blog');
  const globalAdmin = role({ name: 'admin', permissions: ALL_PERMISSIONS, system: true });
  const user = role({ name: 'user', permissions: OWN_PERMISSIONS, system: true });
  // Legacy data or a race: an application role carrying a global role's name must still never be
  // read as the global one.
  const shopAdmin = role({ name: 'admin', applicationId: shop.id, permissions: ['roles:read'] });
  const shopClerk = role({ name: 'clerk', applicationId: shop.id, permissions: ['users:read'] });
  const blogClerk = role({ name: 'Clerk', applicationId: blog.id, permissions: ['audit:read'] });
  const retired = role({ name: 'retired', permissions: ['audit:read'], active: false });
  const index = new RoleIndex([globalAdmin, user, shopAdmin, shopClerk, blogClerk, retired], [shop, blog]);

  it('resolves a plain name to the global role only', () => {
    expect(index.resolve(['admin'], 'shop')).toEqual([globalAdmin]);
    expect(index.resolve(['clerk'], 'shop')).toEqual([]);
  });

  it('resolves a qualified name to that application’s role, in a token for that application only', () => {
    expect(index.resolve(['app:shop:admin'], 'shop')).toEqual([shopAdmin]);
    expect(index.resolve(['app:shop:CLERK'], 'shop')).toEqual([shopClerk]);
    expect(index.resolve(['app:shop:clerk'], 'blog')).toEqual([]);
    expect(index.resolve(['app:nowhere:clerk'], 'nowhere')).toEqual([]);
  });

  it('grants the permissions of active roles only', () => {
    expect([...index.permissionsOf(['app:shop:admin', 'user'], 'shop')].sort()).toEqual([...OWN_PERMISSIONS, 'roles:read'].sort());
    expect(index.permissionsOf(['retired'], 'shop').size).toBe(0);
    expect(index.permissionsOf(['app:shop:admin'], 'blog').size).toBe(0);
  });

  it('an application admin’s scope is its application, never global', () => {
    expect(index.scopeOf(['app:shop:admin'], 'shop', 'roles:read')).toEqual({ global: false, applicationIds: new Set([shop.id]) });
    expect(index.scopeOf(['app:shop:admin'], 'shop', 'roles:write')).toEqual({ global: false, applicationIds: new Set() });
    expect(index.scopeOf(['admin'], 'shop', 'roles:write')).toEqual({ global: true });
  });
});
