import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { ConfigurationError, loadEnvFile } from '@app/core';
import { registerAuthCommands } from './commands/auth';
import { registerAccessCommands } from './commands/access';
import { registerMigrationCommands } from './commands/migrations';

/** Operators' CLI: `npm run cli -- <command>`. Works on DATABASE_URL or on the embedded database. */
async function main(argv: string[]): Promise<void> {
  loadEnvFile();
  process.env.LOG_LEVEL ??= 'warn';
  Logger.overrideLogger(['error', 'warn']);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const program = new Command('cli').description('Identity and task service — operations').showHelpAfterError();
  registerMigrationCommands(program, out);
  registerAuthCommands(program, out);
  registerAccessCommands(program, out);
  await program.parseAsync(argv);
}

main(process.argv).then(() => process.exit(process.exitCode ?? 0)).catch((error: unknown) => {
  if (error instanceof ConfigurationError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
