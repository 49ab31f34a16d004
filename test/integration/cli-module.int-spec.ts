import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignRolesUseCase } from '@app/access';
import { loadConfig } from '@app/core';
import { systemActor } from '@app/kernel';
import { CliModule } from '../../apps/cli/src/cli.module';
import { AppRootModule } from '../../apps/api/src/app.module';
import { createTestDatabase, sql, TestDatabase } from '../support/test-database';

/** The CLI's lean module next to the service's: the same use cases, none of the background activity. */
describe('CLI module (lean)', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'its-cli-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const config = () => loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, DATA_DIR: dataDir, MIGRATIONS_RUN: 'false', LOG_LEVEL: 'silent' });
  const listeners = async () =>
    (await sql<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'its-listener'`))[0].n;
  const open = async (module: Parameters<typeof NestFactory.createApplicationContext>[0]) => {
    const app = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
    await app.init();
    return app;
  };

  it('runs the use cases with the system actor, without a LISTEN connection or a schedule', async () => {
    const app: INestApplicationContext = await open(CliModule.forRoot(config()));
    try {
      expect(await listeners()).toBe(0);
      expect(() => app.get(SchedulerRegistry)).toThrow();
      const [{ id }] = await sql<{ id: string }>(db.url, `INSERT INTO users (username, status) VALUES ('cli_target', 'active') RETURNING id`);
      const roles = await app.get(AssignRolesUseCase).execute(systemActor(), { ip: null, userAgent: null }, id, { roles: ['admin'] });
      expect(roles.map((r) => r.name)).toEqual(['admin']);
      expect(await sql(db.url, `SELECT actor_id, data->>'via' AS via FROM audit_events WHERE type = 'user.roles_assigned' AND subject_id = $1`, [id])).toEqual([{ actor_id: null, via: 'cli' }]);
    } finally {
      await app.close();
    }
  });

  it('(the service, for contrast, listens and schedules)', async () => {
    const app = await open(AppRootModule.forRoot({ config: config() }));
    try {
      expect(await listeners()).toBeGreaterThan(0);
      expect(app.get(SchedulerRegistry).getIntervals()).toContain('cleanup');
    } finally {
      await app.close();
    }
  });
});
