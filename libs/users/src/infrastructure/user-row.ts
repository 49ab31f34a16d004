import type { LoginIdentifier } from '../domain/identifiers';
import type { User } from '../domain/user';

/**
 * A `users` row as plain SQL returns it, and its mapping to the domain, shared by the SQL adapters
 * (the hot reads avoid TypeORM's query building per request).
 */
export const USER_COLUMNS = `id, username, email, phone, first_name, last_name, password_hash, status,
  email_verified_at, phone_verified_at, pending_email, avatar_key, mfa_enabled, created_at, updated_at`;

export interface UserRow {
  id: string;
  username: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  password_hash: string | null;
  status: User['status'];
  email_verified_at: Date | null;
  phone_verified_at: Date | null;
  pending_email: string | null;
  avatar_key: string | null;
  mfa_enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export const userFromRow = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  email: r.email,
  phone: r.phone,
  firstName: r.first_name,
  lastName: r.last_name,
  passwordHash: r.password_hash,
  status: r.status,
  emailVerifiedAt: r.email_verified_at,
  phoneVerifiedAt: r.phone_verified_at,
  pendingEmail: r.pending_email,
  avatarKey: r.avatar_key,
  mfaEnabled: r.mfa_enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The condition that finds the account a login identifier names, over `param`, and its value. */
export function loginCondition(login: LoginIdentifier, param: string): { sql: string; value: string } {
  const sql = login.kind === 'email' ? `email = ${param}` : login.kind === 'phone' ? `phone = ${param}` : `lower(username) = ${param}`;
  return { sql, value: login.kind === 'username' ? login.value.toLowerCase() : login.value };
}
