import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { ConfigurationError, loadEnvFile, readConfig } from '@app/core';
import { runningEmbeddedPostgresUrl } from '@app/persistence';
import { registerAuthCommands } from './commands/auth';
import { cliContext } from './context';
import { registerAccessCommands } from './commands/access';
import { registerMigrationCommands } from './commands/migrations';

/**
 * Operators' CLI: `npm run cli -- <command>`. Works on DATABASE_URL, else on the embedded database under
 * DATA_DIR: the one a running service started there (found through its state file), or its own.
 */
async function main(argv: string[]): Promise<void> {
  loadEnvFile();
  const env: Record<string, string | undefined> = { ...process.env };
  if (!env.DATABASE_URL) {
    const running = runningEmbeddedPostgresUrl(readConfig(env).config.database.dataDir);
    if (running) env.DATABASE_URL = running;
  }
  env.LOG_LEVEL ??= 'warn';
  // The service's management port is taken by the running service: a command that boots the application
  // listens (if at all) on a port of its own choosing.
  if (env.METRICS_PORT) env.METRICS_PORT = '0';
  Logger.overrideLogger(['error', 'warn']);
  const context = cliContext(env, (line: string) => process.stdout.write(`${line}\n`));
  const program = new Command('cli').description('Identity and task service — operations').showHelpAfterError();
  registerMigrationCommands(program, context);
  registerAuthCommands(program, context);
  registerAccessCommands(program, context);
  await program.parseAsync(argv);
}

let finished = false;
// A command whose work was left hanging (an input that never came) must not pass for a success.
// ('beforeExit' comes only when nothing is left to run; a deliberate process.exit, as for --help, skips it.)
process.once('beforeExit', () => {
  if (finished) return;
  process.stderr.write('the command ended before finishing its work\n');
  process.exitCode = 1;
});

main(process.argv).then(() => {
  finished = true;
  process.exit(process.exitCode ?? 0);
}).catch((error: unknown) => {
  finished = true;
  if (error instanceof ConfigurationError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
