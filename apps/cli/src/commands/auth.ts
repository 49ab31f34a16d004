import type { Command } from 'commander';
import type { CliContext } from '../context';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AdminBootstrap } from '@app/credentials';
import { generateSigningKey, parseSigningKeys, readDevKeys, SigningKeyEntry, writeDevKeys } from '@app/auth';
import { CleanupService } from '@app/persistence';
import { withAppContext } from '../app-context';


/** How many keys a rotation keeps: the new signer and older ones that still verify live tokens. */
const KEEP_KEYS = 3;

/** Asks on the terminal; rejects when the input ends first (Ctrl-D), so nothing passes for an answer. */
async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve, reject) => {
    rl.question(question, resolve);
    rl.once('close', () => reject(new Error('no answer: the input ended')));
    rl.once('SIGINT', () => reject(new Error('cancelled')));
  });
  muted = hidden;
  try {
    return (await answer).trim();
  } finally {
    rl.close();
    if (hidden) process.stdout.write('\n');
  }
}

/** The first line of a piped standard input (`echo "$PW" | npm run cli -- admin:create …`); '' when there is none. */
async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.once('end', resolve);
    process.stdin.once('error', reject);
  }).catch(() => undefined);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

const hasTerminal = () => process.stdin.isTTY === true;

/** Where admin:create takes each value: its flag, else the terminal; without one, stdin (password) or the default (username). */
async function adminInput(options: { email?: string; username?: string; password?: string }) {
  const email = options.email ?? (hasTerminal() ? await ask('Email: ') : undefined);
  if (!email) throw new Error('admin:create: no email: give --email (there is no terminal to ask on); nothing was created');
  const username = options.username ?? ((hasTerminal() ? await ask('Username [admin]: ') : '') || 'admin');
  const password = options.password ?? (hasTerminal() ? await ask('Password: ', true) : await firstLineOfStdin());
  if (!password) {
    throw new Error('admin:create: no password: pipe it on standard input, or run the command in a terminal to be asked; nothing was created');
  }
  return { email, username, password };
}

export function rotateKeys(existing: SigningKeyEntry[]): SigningKeyEntry[] {
  return [generateSigningKey(), ...existing].slice(0, KEEP_KEYS);
}

export function registerAuthCommands(program: Command, context: CliContext): void {
  const { out } = context;
  program
    .command('keys:rotate')
    .description(
      'add a new signing key that signs from the next start; older keys keep verifying (keeps the newest 3). ' +
        'Rotates DATA_DIR/keys in development or the JWT_SIGNING_KEYS_FILE in production',
    )
    .action(() => {
      const { env } = context;
      const { auth } = context.config();
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
    .description(
      'create an administrator; what no flag gives is asked on the terminal ' +
        '(without one: --email is required, the password is the first line of standard input, the username defaults to admin)',
    )
    .option('--email <email>')
    .option('--username <username>')
    .option('--password <password>', 'prefer stdin or the prompt: arguments end up in shell history')
    .action(async (options: { email?: string; username?: string; password?: string }) => {
      const input = await adminInput(options);
      await withAppContext(context, async (app) => {
        const user = await app.get(AdminBootstrap).create(input);
        out(`created administrator ${user.username} <${user.email}> (${user.id})`);
      });
    });

  program
    .command('cleanup')
    .description('run the cleanup job once (expired sessions, tokens, codes, stale revocations)')
    .action(() =>
      withAppContext(context, async (app) => {
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
