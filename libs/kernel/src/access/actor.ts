import { ALL_PERMISSIONS, Permission } from './permissions';

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
  /** How the session's user authenticated (RFC 8176: `pwd`, `otp`, `mfa`, `hwk`). */
  amr?: readonly string[];
  /** The operators' CLI: no user, every permission, everywhere (see `systemActor`). */
  system?: true;
}

/**
 * The actor of an operator's CLI command: runs the same use cases as the API, with every permission
 * in every scope, and is audited with no user (`actorId: null`).
 */
export function systemActor(): Actor {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    sessionId: '00000000-0000-0000-0000-000000000000',
    clientId: '',
    roles: [],
    permissions: new Set(ALL_PERMISSIONS),
    tokenId: '',
    issuedAt: 0,
    expiresAt: 0,
    system: true,
  };
}

/** Who to record as the actor of an audit event. */
export function auditActorId(actor: Actor): string | null {
  return actor.system ? null : actor.userId;
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}
