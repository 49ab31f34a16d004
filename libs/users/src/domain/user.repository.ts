import { LoginIdentifier } from './identifiers';
import { NewUser, User } from './user';

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
}
