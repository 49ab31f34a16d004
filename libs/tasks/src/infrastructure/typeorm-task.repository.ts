import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Actor, can } from '@app/kernel';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { AssigneeNotFoundError } from '../domain/errors';
import { TaskRepository } from '../domain/ports';
import { Task, TaskFields } from '../domain/task';
import { priorityRank, TaskQuery, TaskSortKey } from '../domain/task-query';
import { FK_TASKS_ASSIGNEE } from './task.entity';
import { TASK_COLUMNS, taskFromRow, TaskRow } from './task-rows';

/** Sort keys as SQL expressions, each backed by an index `(expression, id)`. */
const SORT_EXPRESSIONS: Record<TaskSortKey, { sql: string; cast: string }> = {
  createdAt: { sql: 't.created_at', cast: 'timestamptz' },
  dueAt: { sql: `coalesce(t.due_at, 'infinity'::timestamptz)`, cast: 'timestamptz' },
  priority: { sql: 't.priority', cast: 'smallint' },
};

/** What `q` searches: matches the expression of the trigram index IDX_tasks_search_trgm. */
const SEARCH_EXPRESSION = `(t.title || ' ' || coalesce(t.description, ''))`;

const COLUMN_OF: Record<keyof TaskFields, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  dueAt: 'due_at',
  assigneeId: 'assignee_id',
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class TypeormTaskRepository extends TaskRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {
    super();
  }

  async findVisible(actor: Actor, id: string): Promise<Task | null> {
    const params: unknown[] = [id];
    const scope = this.scope(actor, params);
    const rows = await this.uow.rows<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1${scope ? ` AND ${scope}` : ''}`, params);
    return rows[0] ? taskFromRow(rows[0]) : null;
  }

  /**
   * One query. With `tasks:read:any` it reads the index of the sort key; for "own or assigned" it
   * reads two indexes in the list's order — (owner, key, id) and (assignee, key, id), each side
   * stopping after one page — and merges them, so its cost follows the page size, not the number of
   * tasks the user has (an `OR` of the two would fetch and sort all of them).
   */
  async list(actor: Actor, query: TaskQuery): Promise<Task[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.status) where.push(`t.status = ${p(query.status)}`);
    if (query.ownerId) where.push(`t.owner_id = ${p(query.ownerId)}`);
    if (query.assigneeId) where.push(`t.assignee_id = ${p(query.assigneeId)}`);
    if (query.q) where.push(`${SEARCH_EXPRESSION} ILIKE ${p(`%${escapeLike(query.q)}%`)}`);
    const due = SORT_EXPRESSIONS.dueAt.sql;
    if (query.dueBefore) where.push(`${due} < ${p(query.dueBefore)}`);
    if (query.dueAfter) where.push(`${due} > ${p(query.dueAfter)} AND t.due_at IS NOT NULL`);
    const sort = SORT_EXPRESSIONS[query.sort.key];
    const dir = query.sort.descending ? 'DESC' : 'ASC';
    const after = query.after && { value: `${p(query.after.value)}::${sort.cast}`, id: `${p(query.after.id)}::uuid` };
    /**
     * Rows after the cursor. On a side of a user's list the comparison is led by that side's column
     * (equal on every row of the side, so it selects the same rows): only the side's own composite
     * index can then serve it as a range, and the planner never walks the table-wide index of the
     * sort key filtering for the user — a plan whose cost would grow with the table.
     */
    const keyset = (lead?: { column: string; value: string }): string[] => {
      if (!after) return [];
      const cmp = query.sort.descending ? '<' : '>';
      return lead
        ? [`(${lead.column}, ${sort.sql}, t.id) ${cmp} (${lead.value}, ${after.value}, ${after.id})`]
        : [`(${sort.sql}, t.id) ${cmp} (${after.value}, ${after.id})`];
    };
    const limit = p(query.limit);
    const order = ` ORDER BY ${sort.sql} ${dir}, t.id ${dir} LIMIT ${limit}`;
    const select = (conditions: string[]) =>
      `SELECT ${TASK_COLUMNS} FROM tasks t` + (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') + order;
    let sql: string;
    if (can(actor, 'tasks:read:any')) {
      sql = select([...where, ...keyset()]);
    } else if (!can(actor, 'tasks:read:own')) {
      sql = select(['false']);
    } else {
      const me = `${p(actor.userId)}::uuid`;
      // Each side hands up its sort key, so that the two ordered streams are merged, not sorted.
      const side = (conditions: string[]) =>
        `SELECT ${TASK_COLUMNS}, ${sort.sql} AS sort_key FROM tasks t WHERE ${[...conditions, ...where].join(' AND ')}${order}`;
      // Assigned tasks the user also owns are read on the owner side only.
      sql =
        `SELECT ${TASK_COLUMNS} FROM ((${side([`t.owner_id = ${me}`, ...keyset({ column: 't.owner_id', value: me })])})` +
        ` UNION ALL (${side([`t.assignee_id = ${me}`, `t.owner_id <> ${me}`, ...keyset({ column: 't.assignee_id', value: me })])})) t` +
        ` ORDER BY t.sort_key ${dir}, t.id ${dir} LIMIT ${limit}`;
    }
    const rows = await this.uow.rows<TaskRow>(sql, params);
    return rows.map(taskFromRow);
  }

  async insert(ownerId: string, fields: TaskFields): Promise<Task> {
    const rows: TaskRow[] = await withAssigneeCheck(() =>
      this.uow.manager.query(
        `INSERT INTO tasks AS t (title, description, status, priority, due_at, owner_id, assignee_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${TASK_COLUMNS}`,
        [fields.title, fields.description, fields.status, priorityRank(fields.priority), fields.dueAt, ownerId, fields.assigneeId, this.clock.now()],
      ),
    );
    return taskFromRow(rows[0]);
  }

  async updateIfVersion(id: string, version: number, changes: Partial<TaskFields>): Promise<Task | null> {
    const params: unknown[] = [id, version, this.clock.now()];
    const sets: string[] = [];
    for (const [field, value] of Object.entries(changes) as [keyof TaskFields, TaskFields[keyof TaskFields]][]) {
      if (value === undefined) continue;
      params.push(field === 'priority' ? priorityRank(value as Task['priority']) : value);
      sets.push(`${COLUMN_OF[field]} = $${params.length}`);
    }
    const result: [TaskRow[], number] = await withAssigneeCheck(() =>
      this.uow.manager.query(
        `UPDATE tasks AS t SET ${[...sets, 'version = t.version + 1', 'updated_at = $3'].join(', ')}
          WHERE t.id = $1 AND t.version = $2 RETURNING ${TASK_COLUMNS}`,
        params,
      ),
    );
    const rows = result[0];
    return rows[0] ? taskFromRow(rows[0]) : null;
  }

  async deleteIfVersion(id: string, version: number): Promise<boolean> {
    const result: [unknown[], number] = await this.uow.manager.query(`DELETE FROM tasks WHERE id = $1 AND version = $2`, [id, version]);
    return result[1] > 0;
  }

  /** The visibility rule in SQL: everything with `tasks:read:any`, else own and assigned tasks. */
  private scope(actor: Actor, params: unknown[]): string | undefined {
    if (can(actor, 'tasks:read:any')) return undefined;
    if (!can(actor, 'tasks:read:own')) return 'false';
    params.push(actor.userId);
    const me = `$${params.length}::uuid`;
    return `(t.owner_id = ${me} OR t.assignee_id = ${me})`;
  }
}

/** The foreign key decides whether the assignee exists (no extra query, and no race with a deletion). */
async function withAssigneeCheck<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (driver?.code === '23503' && driver.constraint === FK_TASKS_ASSIGNEE) throw new AssigneeNotFoundError();
    throw error;
  }
}
