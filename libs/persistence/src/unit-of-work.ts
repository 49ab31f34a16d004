import { Injectable, Optional } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryFailedError, Repository } from 'typeorm';
import { DomainError } from '@app/core';
import { DatabaseUnavailableError, GuardedClient } from './guarded-pg';
import { QueryCounter } from './query-counter';

export interface RowsOptions {
  /**
   * Send it as a named prepared statement: Postgres parses and plans it once per connection instead
   * of on every call. For hot statements of fixed text whose best plan does not depend on the values
   * (a lookup by key, a write); not for a search whose plan should follow its parameters.
   */
  prepare?: boolean;
}

/** Statement names by text, for the whole process (a name must always mean the same text). */
const statementNames = new Map<string, string>();
/** Beyond this many distinct texts a statement is sent unnamed: the server keeps what it prepares per connection. */
const MAX_PREPARED = 500;

function prepared(text: string, values: unknown[]): QueryConfig | undefined {
  let name = statementNames.get(text);
  if (name === undefined) {
    if (statementNames.size >= MAX_PREPARED) return undefined;
    name = `uow_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

type IsolationLevel = 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

interface Scope {
  manager: EntityManager;
  afterCommit: (() => void | Promise<void>)[];
}

/**
 * One transaction per use case, carried on AsyncLocalStorage: `run(fn)` opens it, repositories pick
 * up the ambient manager through `manager`/`repository()`, and a nested `run` joins the outer one.
 * The same use case therefore behaves identically from an HTTP handler, a job or the CLI.
 */
@Injectable()
export class UnitOfWork {
  private readonly storage = new AsyncLocalStorage<Scope>();
  private isolationDefault?: Promise<string | undefined>;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly counter?: QueryCounter,
  ) {}

  /**
   * The rows a statement returns (SELECT, or a write with RETURNING). Inside `run` it goes through
   * the transaction; outside, straight to the pool — a single statement needs no TypeORM query runner,
   * and the hot reads (the caller's user, a page of tasks) skip its per-query bookkeeping. With
   * `prepare`, a named prepared statement (see `RowsOptions`), in or outside a transaction. Counted in
   * `db_queries_total` like every statement; errors are TypeORM's `QueryFailedError` either way.
   */
  async rows<T>(sql: string, params: unknown[] = [], options: RowsOptions = {}): Promise<T[]> {
    const scope = this.storage.getStore();
    const statement = options.prepare ? prepared(sql, params) : undefined;
    if (scope) {
      // A transaction's manager always has its query runner; the structured result gives the rows
      // whatever the command (manager.query would give [rows, count] for UPDATE and DELETE).
      const runner = scope.manager.queryRunner!;
      if (!statement) return (await runner.query(sql, params, true)).records as T[];
      // TypeORM's runner has no named statements: the transaction's own connection takes it.
      return this.send((await runner.connect()) as PoolClient, statement);
    }
    return this.send(this.pool, statement ?? { text: sql, values: params });
  }

  private async send<T>(target: Pool | PoolClient, statement: QueryConfig): Promise<T[]> {
    this.counter?.sent(statement.text);
    try {
      return (await target.query(statement)).rows as T[];
    } catch (error) {
      this.counter?.failed(error, statement.text);
      throw new QueryFailedError(statement.text, statement.values ?? [], error as Error);
    }
  }

  /** The server's default isolation level (`READ COMMITTED` unless an operator changed it), read once. */
  private serverIsolation(): Promise<string | undefined> {
    this.isolationDefault ??= this.dataSource
      .query(`SELECT upper(current_setting('default_transaction_isolation')) AS level`)
      .then((rows: { level: string }[]) => rows[0]?.level)
      .catch(() => {
        this.isolationDefault = undefined;
        return undefined;
      });
    return this.isolationDefault;
  }

  /** The `pg` pool TypeORM's Postgres driver opened (its `master`). */
  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  /** The transaction's manager inside `run`, the pool's outside (single statements autocommit). */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get active(): boolean {
    return this.storage.getStore() !== undefined;
  }

  repository<T extends ObjectLiteral>(target: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(target);
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    const outer = this.storage.getStore();
    if (outer) return work(outer.manager);
    const scope: Scope = { manager: this.dataSource.manager, afterCommit: [] };
    let connection: unknown;
    const body = (manager: EntityManager) => {
      scope.manager = manager;
      connection = (manager.queryRunner as { databaseConnection?: unknown } | undefined)?.databaseConnection;
      return this.storage.run(scope, () => work(manager));
    };
    let result: T;
    try {
      // TypeORM sends SET TRANSACTION after START TRANSACTION when given a level: a round trip per
      // transaction that the server's own default level makes unnecessary.
      result = (await this.serverIsolation()) === isolation ? await this.dataSource.transaction(body) : await this.dataSource.transaction(isolation, body);
    } catch (error) {
      // The transaction's connection died under it: whatever TypeORM reports next (its runner is
      // released at once), the cause is that the database became unavailable.
      if (connection instanceof GuardedClient && connection.hasLostConnection && !(error instanceof DomainError)) throw new DatabaseUnavailableError(error);
      throw error;
    }
    for (const callback of scope.afterCommit) {
      try {
        await callback();
      } catch {
        // After-commit work is best effort by design (e.g. cache refresh); the change is committed.
      }
    }
    return result;
  }

  /** Runs `callback` once the current transaction has committed; immediately when there is none. */
  async afterCommit(callback: () => void | Promise<void>): Promise<void> {
    const scope = this.storage.getStore();
    if (scope) scope.afterCommit.push(callback);
    else await callback();
  }

  /** Leaves the ambient transaction: work inside commits on its own (e.g. a revocation that must stick). */
  outside<T>(work: () => Promise<T>): Promise<T> {
    return this.storage.exit(work);
  }
}
