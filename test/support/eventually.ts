import { sql } from './test-database';

/**
 * Polls `probe` until it returns something other than `undefined`/`false` and resolves with it; fails
 * with `what` after `timeoutMs`. For effects that happen asynchronously (a delivery, a lock wait):
 * the test waits as long as it takes and no longer, instead of a fixed pause.
 */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Until at least `n` sessions on the database of `url` wait for a lock (row, table or advisory). */
export function untilLockWaiters(url: string, n: number, timeoutMs = 30_000): Promise<number> {
  return eventually(
    `${n} statements to wait for a lock`,
    async () => {
      const [{ waiting }] = await sql<{ waiting: number }>(
        url,
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return waiting >= n ? waiting : undefined;
    },
    timeoutMs,
  );
}

/**
 * What the service has committed to send to `recipient`: the notification records (the outbox), read
 * once every piece of work a request started after answering (BackgroundWork) has finished. "Nothing
 * was sent" is `[]` here — a fact of the database, not the absence of a message after a pause.
 */
export async function committedNotifications(t: { app: { get<T>(type: abstract new (...args: never[]) => T): T }; db: { url: string } }, recipient: string): Promise<{ template: string; status: string }[]> {
  const { BackgroundWork } = await import('@app/core');
  if (!(await t.app.get(BackgroundWork).settled(30_000))) throw new Error('background work did not settle within 30 s');
  return sql<{ template: string; status: string }>(t.db.url, 'SELECT template, status FROM notifications WHERE recipient = $1 ORDER BY created_at', [recipient]);
}
