import pg from 'pg';
import { DomainError } from '@app/core';

/** What a client is told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The database cannot serve the request right now (down, restarting, refusing connections, out of
 * resources, or a statement ran out of time). A domain error of kind `unavailable`: the global problem
 * filter answers it 503 `SERVICE_UNAVAILABLE` with `Retry-After`, like any other error of that kind.
 */
export class DatabaseUnavailableError extends DomainError {
  constructor(cause: unknown) {
    super('unavailable', 'SERVICE_UNAVAILABLE', 'The database is unavailable at the moment; retry shortly', {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      cause,
    });
  }
}

/**
 * SQLSTATEs by which the server says it cannot serve us, rather than that a statement is wrong:
 * class 08 (connection exception), 53 (insufficient resources: too many connections, disk full, out
 * of memory), 57P01–57P03 (shut down by an administrator, crash shutdown, starting up) and 57014
 * (statement cancelled, i.e. `statement_timeout`).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57P0[123]|57014)$/;

function isSystemError(error: unknown): boolean {
  const e = error as Partial<NodeJS.ErrnoException> | null;
  return typeof e?.syscall === 'string' || typeof e?.errno === 'number';
}

/**
 * Whether a failed statement means "the database is unavailable". The server's own errors are judged
 * by their SQLSTATE; an error without one means no answer came back: a socket error, or a client
 * whose connection is gone. Anything else (a client-side programming error) is left as it is.
 */
function unavailableFailure(error: unknown, connectionLost: boolean): boolean {
  if (error instanceof DatabaseUnavailableError) return false;
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_SQLSTATE.test(error.code ?? '');
  return connectionLost || isSystemError(error);
}

type Callback = (error: Error | null | undefined, ...rest: unknown[]) => void;

/**
 * A `pg` client whose failed statements say when the database is unavailable (see
 * DatabaseUnavailableError). It watches its own connection: once the connection failed or ended,
 * every error of its queries is an availability error.
 */
export class GuardedClient extends pg.Client {
  private connectionLost = false;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => (this.connectionLost = true));
    this.on('end', () => (this.connectionLost = true));
  }

  /** Whether this client's connection failed or ended (its queries can no longer succeed). */
  get hasLostConnection(): boolean {
    return this.connectionLost;
  }

  private translate(error: unknown): unknown {
    return unavailableFailure(error, this.connectionLost) ? new DatabaseUnavailableError(error) : error;
  }

  // pg's query() has a dozen overloads (promise, callback, submittable); the guard serves them all.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = ((error, ...rest) => (last as Callback)(error ? (this.translate(error) as Error) : error, ...rest)) as Callback;
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        throw this.translate(error);
      });
    }
    return result;
  }
}

/**
 * A `pg` pool of GuardedClients whose failures to hand out a connection (refused, no socket, timed out
 * waiting, the server starting up) are availability errors.
 */
export class GuardedPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super({ ...config, Client: GuardedClient as unknown as typeof pg.Client });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    const translate = (error: unknown) => (error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(error));
    const callback = args[0] as ((error: Error | undefined, ...rest: unknown[]) => void) | undefined;
    if (typeof callback === 'function') {
      return (super.connect as (cb: Callback) => void)((error, ...rest) => callback(error ? (translate(error) as Error) : undefined, ...rest));
    }
    return (super.connect as () => Promise<pg.PoolClient>)().catch((error: unknown) => {
      throw translate(error);
    });
  }
}

/**
 * The `pg` module as TypeORM should load it (its `driver` option): everything as in `pg`, with the
 * guarded pool and client.
 */
export const guardedPgDriver: typeof pg = Object.create(pg, {
  Pool: { value: GuardedPool, enumerable: true },
  Client: { value: GuardedClient, enumerable: true },
}) as typeof pg;
