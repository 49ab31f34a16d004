/**
 * The catalogue of permission strings, `resource:action[:scope]`. Roles grant these; routes and use
 * cases ask for them. `:own` permissions reach the caller's own resources, `:any` everyone's.
 */
export const PERMISSIONS = {
  'tasks:read:own': 'Read own and assigned tasks',
  'tasks:read:any': 'Read every task',
  'tasks:write:own': 'Create tasks and change own tasks',
  'tasks:write:any': 'Change every task',
  'users:read': 'Read user accounts',
  'users:write': 'Create, change, disable and delete user accounts and end their sessions',
  'roles:read': 'Read roles and the permission catalogue',
  'roles:write': 'Create, change and delete roles',
  'roles:assign': 'Assign roles to users',
  'applications:write': 'Manage applications',
  'tokens:introspect': 'Introspect any token',
  'audit:read': 'Read the audit log',
  'notifications:read': 'Read the notification log',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** What the system role `user` holds: the `:own` permissions. */
export const OWN_PERMISSIONS = ALL_PERMISSIONS.filter((p) => p.endsWith(':own'));

/**
 * Permissions over resources that belong to no application (every task, the whole audit and
 * notification logs): held through an application's role they still reach everything, so only a
 * global holder of `roles:write` / `roles:assign` may hand them out (see `access-rules.ts`). The
 * others are confined to the application of the role that grants them, or (`:own`) to oneself.
 */
export const UNCONFINED_PERMISSIONS: readonly Permission[] = ['tasks:read:any', 'tasks:write:any', 'audit:read', 'notifications:read'];

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}

export const SYSTEM_ROLES = { admin: 'admin', user: 'user' } as const;
