import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/persistence';
import type { User } from '../domain/user';
import { UserDirectory, UserSearch } from '../domain/user.repository';
import { userFromRow, UserRow } from './user-row';

type Row = UserRow & { cursor_at: string };

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
    return rows.map((r) => ({ ...userFromRow(r), cursorAt: r.cursor_at }));
  }
}
