import type { Actor, Permission } from '@app/kernel';

/** An actor as the access guard would build it, for use cases and repositories called directly. */
export const testActor = (userId: string, permissions: Permission[] = ['tasks:read:own', 'tasks:write:own']): Actor => ({
  userId,
  sessionId: 's',
  clientId: 'default',
  roles: [],
  permissions: new Set(permissions),
  tokenId: 'j',
  issuedAt: 0,
  expiresAt: 0,
});
