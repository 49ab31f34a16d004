import { LoginIdentifier } from './identifiers';
import { NewUser, User, UserStatus } from './user';

/** Port: user accounts. Implementations take part in the ambient unit of work. */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  abstract findByLogin(login: LoginIdentifier): Promise<User | null>;
  abstract findByPhone(phone: string): Promise<User | null>;
  /** Which of these identifiers are already taken (by an account other than `exceptId`). */
  abstract taken(fields: { username?: string; email?: string | null; phone?: string | null }, exceptId?: string): Promise<('username' | 'email' | 'phone')[]>;
  abstract create(user: NewUser): Promise<User>;
  abstract update(id: string, changes: Partial<Omit<User, 'id' | 'createdAt' | 'updatedAt'>>): Promise<User>;
  abstract delete(id: string): Promise<void>;
  /**
   * Counts one contact change (a new email or phone asked for) against the user's budget of `limit`
   * per `windowSeconds` (a fixed window from the first change), on its own — it commits even when
   * the change then fails. Returns 0 when allowed, else the seconds until the window ends.
   */
  abstract spendContactChange(id: string, limit: number, windowSeconds: number): Promise<number>;
}

export interface UserSearch {
  /** Matches username, email, phone, first or last name (case-insensitive substring). */
  q?: string;
  /** Holds a role of this name (in `applicationId`'s scope when given, else any scope). */
  role?: string;
  status?: UserStatus;
  /** Holds at least one role of this application. */
  applicationId?: string;
  limit: number;
  /** Keyset position (`createdAt` at full precision, `id`) of the previous page's last user. */
  after?: { createdAt: string; id: string };
}

/** Port: the administrators' view of users (newest first, keyset-paged). */
export abstract class UserDirectory {
  /** Up to `limit + 1` users, so the caller can tell whether there is more. */
  abstract search(query: UserSearch): Promise<(User & { cursorAt: string })[]>;
}
