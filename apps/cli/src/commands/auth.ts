import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AdminBootstrap, generateSigningKey, parseSigningKeys, readDevKeys, SigningKeyEntry, writeDevKeys } from '@app/auth';
import { loadConfig } from '@app/core';
import { CleanupService } from '@app/persistence';
import { withAppContext } from '../app-context';


/** How many keys a rotation keeps: the new signer and older ones that still verify live tokens. */
const KEEP_KEYS = 3;

async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY ?? false });
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  muted = hidden;
  const value = await answer;
  rl.close();
  if (hidden) process.stdout.write('\n');
  return value.trim();
}

export function rotateKeys(existing: SigningKeyEntry[]): SigningKeyEntry[] {
  return [generateSigningKey(), ...existing].slice(0, KEEP_KEYS);
}

export function registerAuthCommands(program: Command, out: (line: string) => void): void {
  program
    .command('keys:rotate')
    .description(
      'add a new signing key that signs from the next start; older keys keep verifying (keeps the newest 3). ' +
        'Rotates DATA_DIR/keys in development or the JWT_SIGNING_KEYS_FILE in production',
    )
    .action(() => {
      const env = process.env;
      const { auth } = loadConfig();
      if (env.JWT_SIGNING_KEYS_FILE) {
        const keys = rotateKeys(parseSigningKeys(readFileSync(env.JWT_SIGNING_KEYS_FILE, 'utf8')));
        writeFileSync(env.JWT_SIGNING_KEYS_FILE, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
        out(`new signing key ${keys[0].kid} written to ${env.JWT_SIGNING_KEYS_FILE}; restart the instances to sign with it`);
      } else if (env.JWT_SIGNING_KEYS) {
        const keys = rotateKeys(parseSigningKeys(env.JWT_SIGNING_KEYS));
        out(JSON.stringify(keys));
        process.stderr.write(`Set JWT_SIGNING_KEYS to the JSON above (new key ${keys[0].kid} first) and restart the instances.\n`);
      } else {
        const keys = rotateKeys(readDevKeys(auth.keysDir, false));
        writeDevKeys(auth.keysDir, keys);
        out(`new signing key ${keys[0].kid} in ${auth.keysDir}; restart the service to sign with it (${keys.length} keys verify)`);
      }
    });

  program
    .command('keys:generate')
    .description('print a new signing key as JSON for JWT_SIGNING_KEYS / JWT_SIGNING_KEYS_FILE (production)')
    .action(() => out(JSON.stringify([generateSigningKey()], null, 2)));

  program
    .command('admin:create')
    .description('create an administrator (asks for what is not given)')
    .option('--email <email>')
    .option('--username <username>')
    .option('--password <password>', 'prefer the prompt: arguments end up in shell history')
    .action(async (options: { email?: string; username?: string; password?: string }) => {
      const email = options.email ?? (await ask('Email: '));
      const username = options.username ?? ((await ask('Username [admin]: ')) || 'admin');
      const password = options.password ?? (await ask('Password: ', true));
      await withAppContext(async (app) => {
        const user = await app.get(AdminBootstrap).create({ email, username, password });
        out(`created administrator ${user.username} <${user.email}> (${user.id})`);
      });
    });

  program
    .command('cleanup')
    .description('run the cleanup job once (expired sessions, tokens, codes, stale revocations)')
    .action(() =>
      withAppContext(async (app) => {
        const counts = await app.get(CleanupService).runOnce();
        if (!counts) {
          out('another instance is running the cleanup job right now');
          process.exitCode = 1;
          return;
        }
        for (const [task, n] of Object.entries(counts)) out(`${task}: ${n} deleted`);
      }),
    );
}
