import { createServer } from 'node:net';
import { QueryFailedError } from 'typeorm';
import { mapException } from '@app/core';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableError, GuardedPool } from './guarded-pg';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the guarded pg driver', () => {
  it('turns a refused connection into DatabaseUnavailableError, from the pool as from a query', async () => {
    const port = await closedPort();
    const pool = new GuardedPool({ host: '127.0.0.1', port, user: 'x', password: 'x', database: 'x', connectionTimeoutMillis: 2000 });
    try {
      await expect(pool.connect()).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(pool.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await pool.end();
    }
  });

  it('is answered 503 SERVICE_UNAVAILABLE with Retry-After, also when TypeORM wraps it', () => {
    const unavailable = new DatabaseUnavailableError(new Error('connect ECONNREFUSED'));
    for (const error of [unavailable, new QueryFailedError('SELECT 1', [], unavailable)]) {
      expect(mapException(error)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    }
    // A statement error stays what it is.
    expect(mapException(new QueryFailedError('SELECT x', [], new Error('column "x" does not exist')))).toMatchObject({ status: 500 });
  });
});
