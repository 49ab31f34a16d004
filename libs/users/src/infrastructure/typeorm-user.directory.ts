import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/persistence';
import type { User, UserStatus } from '../domain/user';
import { UserDirectory, UserSearch } from '../domain/user.repository';

interface Row {
  id: string;
  username: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  password_hash: string | null;
  status: UserStatus;
  email_verified_at: Date | null;
  phone_verified_at: Date | null;
  avatar_key: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

/** Escapes LIKE wildcards so that `q` is matched literally. */
const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

@Injectable()
export class TypeormUserDirectory extends UserDirectory {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async search(query: UserSearch): Promise<(User & { cursorAt: string })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.q) {
      const q = p(likeLiteral(query.q.trim()));
      where.push(`(u.username ILIKE ${q} OR u.email ILIKE ${q} OR u.phone ILIKE ${q} OR u.first_name ILIKE ${q} OR u.last_name ILIKE ${q})`);
    }
    if (query.status) where.push(`u.status = ${p(query.status)}`);
    if (query.role !== undefined || query.applicationId !== undefined) {
      const conditions = ['ur.user_id = u.id'];
      if (query.role !== undefined) conditions.push(`lower(r.name) = lower(${p(query.role)})`);
      if (query.applicationId !== undefined) conditions.push(`r.application_id = ${p(query.applicationId)}::uuid`);
      where.push(`EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ${conditions.join(' AND ')})`);
    }
    if (query.after) where.push(`(u.created_at, u.id) < (${p(query.after.createdAt)}::timestamptz, ${p(query.after.id)}::uuid)`);
    const rows: Row[] = await this.uow.manager.query(
      `SELECT u.*, to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM users u
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.created_at DESC, u.id DESC
        LIMIT ${p(query.limit + 1)}`,
      params,
    );
    return rows.map((r) => ({
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
      avatarKey: r.avatar_key,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      cursorAt: r.cursor_at,
    }));
  }
}
