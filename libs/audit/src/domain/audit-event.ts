/**
 * Security-relevant events. The names are stable: they are stored, filtered on (`?type=`) and
 * documented in docs/admin-and-audit.md.
 */
export const AUDIT_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'login.locked',
  'token.reused',
  'session.logout',
  'session.logout_all',
  'session.revoked',
  'password.changed',
  'password.reset',
  'role.created',
  'role.updated',
  'role.activated',
  'role.deactivated',
  'role.permissions_changed',
  'role.deleted',
  'user.roles_assigned',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'application.created',
  'application.updated',
  'application.deleted',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.factor_added',
  'mfa.factor_removed',
  'mfa.succeeded',
  'mfa.failed',
  'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated',
  'mfa.reset_by_admin',
  'passkey.registered',
  'passkey.removed',
  'passkey.signed_in',
  'passkey.failed',
  'provider.signed_in',
  'identity.linked',
  'identity.unlinked',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

/** What a caller hands to `AuditLog.record`. */
export interface AuditInput {
  type: AuditEventType;
  /** Who did it (null: nobody authenticated, e.g. a failed login). */
  actorId?: string | null;
  /** Whom or what it concerns: a user id, role id or application id (see `data` for which). */
  subjectId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Small, non-secret details (role names, permission lists, reasons). Never tokens, codes or passwords. */
  data?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  type: AuditEventType;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  userAgent: string | null;
  at: Date;
  data: Record<string, unknown>;
}

export interface AuditQuery {
  /** Events the user did or that concern them. */
  userId?: string;
  type?: AuditEventType;
  from?: Date;
  to?: Date;
  limit: number;
  /** Keyset position (`at`, `id`) of the last event of the previous page. */
  after?: { at: string; id: string };
}

/** Port: where audit events are kept. Writes join the ambient unit of work. */
export abstract class AuditEventStore {
  abstract append(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent>;
  /** Newest first; returns up to `limit + 1` rows so the caller can tell whether there is more. */
  abstract find(query: AuditQuery): Promise<(AuditEvent & { cursorAt: string })[]>;
}
