import type { Command } from 'commander';
import type { CliContext } from '../context';
import { join } from 'node:path';
import { generateMigrationFile, runMigrationsLocked } from '@app/persistence';
import { withDataSource } from '../database';

export function registerMigrationCommands(program: Command, context: CliContext): void {
  const { out } = context;
  program
    .command('migrate')
    .alias('migration:run')
    .description('apply pending migrations')
    .action(() =>
      withDataSource(context, async (ds) => {
        const applied = await runMigrationsLocked(ds);
        out(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'no pending migrations');
      }),
    );

  program
    .command('migrate:revert')
    .alias('migration:revert')
    .description('revert the last applied migration')
    .action(() =>
      withDataSource(context, async (ds) => {
        const before = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`).catch(() => []);
        await ds.undoLastMigration({ transaction: 'each' });
        out(before[0] ? `reverted ${before[0].name}` : 'nothing to revert');
      }),
    );

  program
    .command('migrate:show')
    .alias('migration:show')
    .description('list migrations and whether each is applied; exits 1 when some are pending')
    .action(() =>
      withDataSource(context, async (ds) => {
        const applied = new Set<string>(
          (await ds.query(`SELECT name FROM migrations`).catch(() => [])).map((r: { name: string }) => r.name),
        );
        let pending = 0;
        for (const migration of ds.migrations) {
          const name = migration.name ?? migration.constructor.name;
          const done = applied.has(name);
          if (!done) pending += 1;
          out(`${done ? '[X]' : '[ ]'} ${name}`);
        }
        if (pending > 0) process.exitCode = 1;
      }),
    );

  program
    .command('migrate:generate')
    .alias('migration:generate')
    .argument('<name>', 'migration name, e.g. AddTaskLabels')
    .option('--timestamp <ms>', 'timestamp for the file and class name (default: now)')
    .description('write a migration with the changes between the entities and the database')
    .action((name: string, options: { timestamp?: string }) =>
      withDataSource(context, async (ds) => {
        const timestamp = options.timestamp ? Number(options.timestamp) : Date.now();
        if (!Number.isInteger(timestamp) || timestamp <= 0) throw new Error('--timestamp must be a positive integer (milliseconds)');
        const file = await generateMigrationFile(ds, name, join(process.cwd(), 'migrations'), timestamp);
        out(file ? `wrote ${file}` : 'no changes: the schema matches the entities');
      }),
    );
}
