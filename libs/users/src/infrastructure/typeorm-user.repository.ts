import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { IdentifierTakenError } from '../domain/errors';
import { LoginIdentifier } from '../domain/identifiers';
import { NewUser, User } from '../domain/user';
import { UserRepository } from '../domain/user.repository';
import { UserEntity } from './user.entity';
import { loginCondition, USER_COLUMNS, userFromRow as fromRow, UserRow } from './user-row';

const toDomain = (e: UserEntity): User => ({
  id: e.id,
  username: e.username,
  email: e.email,
  phone: e.phone,
  firstName: e.firstName,
  lastName: e.lastName,
  passwordHash: e.passwordHash,
  status: e.status,
  emailVerifiedAt: e.emailVerifiedAt,
  phoneVerifiedAt: e.phoneVerifiedAt,
  pendingEmail: e.pendingEmail,
  avatarKey: e.avatarKey,
  mfaEnabled: e.mfaEnabled,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

@Injectable()
export class TypeormUserRepository extends UserRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {
    super();
  }

  private get repo() {
    return this.uow.repository(UserEntity);
  }

  /**
   * The read behind every `/users/me`: plain SQL, because TypeORM's query building and hydration cost
   * more CPU than the query itself on this path (measured by the benchmark).
   */
  async findById(id: string): Promise<User | null> {
    const rows = await this.uow.rows<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id], { prepare: true });
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async findByLogin(login: LoginIdentifier): Promise<User | null> {
    const match = loginCondition(login, '$1');
    const rows = await this.uow.rows<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE ${match.sql}`, [match.value], { prepare: true });
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async findByPhone(phone: string): Promise<User | null> {
    const e = await this.repo.findOneBy({ phone });
    return e ? toDomain(e) : null;
  }

  async taken(fields: { username?: string; email?: string | null; phone?: string | null }, exceptId?: string) {
    const rows: { username: boolean; email: boolean; phone: boolean }[] = await this.uow.manager.query(
      `SELECT
         bool_or(lower(username) = lower($1)) AS username,
         bool_or(email = $2) AS email,
         bool_or(phone = $3) AS phone
       FROM users
       WHERE (lower(username) = lower($1) OR email = $2 OR phone = $3) AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [fields.username ?? null, fields.email ?? null, fields.phone ?? null, exceptId ?? null],
    );
    const row = rows[0] ?? {};
    return (['username', 'email', 'phone'] as const).filter((f) => row[f] === true);
  }

  async create(user: NewUser): Promise<User> {
    const saved = await uniquely(() => this.repo.save(this.repo.create({ ...user })));
    return toDomain(saved);
  }

  async update(id: string, changes: Partial<Omit<User, 'id' | 'createdAt' | 'updatedAt'>>): Promise<User> {
    await uniquely(() => this.repo.update({ id }, changes));
    const e = await this.repo.findOneByOrFail({ id });
    return toDomain(e);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async spendContactChange(id: string, limit: number, windowSeconds: number): Promise<number> {
    const now = this.clock.now();
    // One statement: a new window, or one more change in the current one while under the limit.
    const spent = await this.uow.rows<{ id: string }>(
      `UPDATE users SET
         contact_changes = CASE WHEN fresh THEN 1 ELSE contact_changes + 1 END,
         contact_changes_since = CASE WHEN fresh THEN $4::timestamptz ELSE contact_changes_since END
         FROM (SELECT contact_changes_since IS NULL OR contact_changes_since <= $4::timestamptz - make_interval(secs => $3) AS fresh
                 FROM users WHERE id = $1) w
        WHERE users.id = $1 AND (w.fresh OR contact_changes < $2)
        RETURNING users.id`,
      [id, limit, windowSeconds, now],
    );
    if (spent.length > 0) return 0;
    const rows = await this.uow.rows<{ seconds: number | null }>(
      `SELECT ceil(extract(epoch FROM contact_changes_since + make_interval(secs => $2) - $3::timestamptz))::int AS seconds FROM users WHERE id = $1`,
      [id, windowSeconds, now],
    );
    return Math.max(1, rows[0]?.seconds ?? 1);
  }
}

const UNIQUE_FIELDS: Record<string, string> = {
  UQ_users_username_lower: 'username',
  UQ_users_email: 'email',
  UQ_users_phone: 'phone',
};

/** Two requests racing for one identifier: the unique index decides, and the loser gets a 409. */
async function uniquely<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (driver?.code === '23505' && driver.constraint && UNIQUE_FIELDS[driver.constraint]) {
      throw new IdentifierTakenError([UNIQUE_FIELDS[driver.constraint]]);
    }
    throw error;
  }
}
