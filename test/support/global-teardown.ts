import { rmSync } from 'node:fs';
import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  // Named by both Postgres projects: the first call tears down, the second finds nothing left.
  const serverUrl = process.env.TEST_PG_SERVER_URL;
  if (!serverUrl) return;
  delete process.env.TEST_PG_SERVER_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (serverUrl && template && process.env.TEST_EXTERNAL_DATABASE) {
    // On a shared server, leave nothing behind.
    await withAdminClient(serverUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $1 || '_')`, [template]);
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
  }
  const embedded = globalThis.__EMBEDDED_PG__;
  if (embedded) {
    await embedded.destroy();
    rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}
