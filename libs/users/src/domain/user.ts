import { usernameOrFail } from './identifiers';

export type UserStatus = 'pending' | 'active' | 'disabled';
export const USER_STATUSES: readonly UserStatus[] = ['pending', 'active', 'disabled'];

/** A user account. The password hash is part of the aggregate but never of any response. */
export interface User {
  id: string;
  username: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  passwordHash: string | null;
  status: UserStatus;
  emailVerifiedAt: Date | null;
  phoneVerifiedAt: Date | null;
  /** A new email address the user asked for: it becomes `email` once its link is opened. */
  pendingEmail: string | null;
  avatarKey: string | null;
  /** At least one confirmed second factor (kept by the credentials lib). */
  mfaEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewUser = Pick<User, 'username' | 'email' | 'phone' | 'firstName' | 'lastName' | 'passwordHash' | 'status'> &
  Partial<Pick<User, 'emailVerifiedAt' | 'phoneVerifiedAt'>>;

/**
 * Status follows from the contact details: an account with an email or phone is `pending` until one
 * of them is verified; `disabled` is only ever set (and lifted) by an administrator.
 */
export function derivedStatus(user: Pick<User, 'status' | 'email' | 'phone' | 'emailVerifiedAt' | 'phoneVerifiedAt'>): UserStatus {
  if (user.status === 'disabled') return 'disabled';
  const hasContact = user.email !== null || user.phone !== null;
  const verified = (user.email !== null && user.emailVerifiedAt !== null) || (user.phone !== null && user.phoneVerifiedAt !== null);
  return hasContact && !verified ? 'pending' : 'active';
}

/**
 * A new account as registration and administration both create it: names optional, verification
 * marks for what was proven, status derived from them (unless created disabled).
 */
export function newAccount(input: {
  username: string;
  email: string | null;
  phone: string | null;
  firstName?: string | null;
  lastName?: string | null;
  passwordHash: string;
  emailVerifiedAt: Date | null;
  phoneVerifiedAt: Date | null;
  disabled?: boolean;
}): NewUser {
  const { disabled, ...fields } = input;
  usernameOrFail(input.username);
  return {
    ...fields,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    status: disabled ? 'disabled' : derivedStatus({ status: 'active', ...fields }),
  };
}
