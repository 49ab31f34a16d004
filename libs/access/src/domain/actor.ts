import { Permission } from './permissions';

/**
 * Who is calling: the verified access token, with the permissions its roles grant in its
 * application. Passed as the first argument to every use case.
 */
export interface Actor {
  userId: string;
  sessionId: string;
  clientId: string;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** Token id and times, for introspection of one's own token. */
  tokenId: string;
  issuedAt: number;
  expiresAt: number;
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}
