import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { ServerSecret } from '@app/core';
import { AesGcmSecretBox } from '@app/credentials/infrastructure/crypto';
import { Bench, ratio, ScenarioResult } from '../context';
import { percentile } from '../load';
import { BENCH_PASSWORD, BenchUser } from '../seed';

const ROUNDS = 3;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A random TOTP secret (base32, 160 bits) and its RFC 6238 code for a step: what the phone computes. */
function newSecret(): string {
  return [...randomBytes(32)].map((b) => BASE32[b % 32]).join('');
}
function code(secret: string, step: number): string {
  let bits = 0;
  let value = 0;
  const key: number[] = [];
  for (const c of secret) {
    value = (value << 5) | BASE32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      key.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const o = mac[19] & 0x0f;
  return String((((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3]) % 1_000_000).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 30_000);

interface MfaUser extends BenchUser {
  secret: string;
  /** The last step this client used for the user: the service accepts each step once. */
  lastStep: number;
}

/**
 * A full sign-in with two-factor authentication on (password → 403 MFA_REQUIRED → TOTP code →
 * token pair) against the password-only login, with the same closed-loop clients, in alternating
 * rounds (best of each). Half the bench users get a TOTP factor (sealed as the app seals it, under
 * the run's APP_SECRET), the other half log in with the password only; the factors are removed
 * afterwards. The second step costs an HMAC and a few statements, no argon2: its rate should stay
 * close to the password-only login's.
 */
export async function mfaLogin(bench: Bench, appSecret: string): Promise<ScenarioResult> {
  const half = Math.floor(bench.users.length / 2);
  const box = new AesGcmSecretBox({
    key: (purpose: string) => Buffer.from(hkdfSync('sha256', Buffer.from(appSecret, 'utf8'), Buffer.alloc(0), `its:${purpose}`, 32)),
  } as unknown as ServerSecret);
  const mfaUsers: MfaUser[] = bench.users.slice(0, half).map((u) => ({ ...u, secret: newSecret(), lastStep: 0 }));
  const plainUsers = bench.users.slice(half);
  await bench.db.query(
    `INSERT INTO mfa_factors (user_id, type, name, secret_box, confirmed_at) SELECT unnest($1::uuid[]), 'totp', 'bench', unnest($2::bytea[]), now()`,
    [mfaUsers.map((u) => u.id), mfaUsers.map((u) => box.seal(u.secret))],
  );
  await bench.db.query(`UPDATE users SET mfa_enabled = true WHERE id = ANY($1::uuid[])`, [mfaUsers.map((u) => u.id)]);
  const url = bench.app.url;
  const post = (path: string, body: unknown) =>
    fetch(`${url}/api/v1/auth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  let nextMfa = 0;
  let nextPlain = 0;
  /** The next MFA user with an unused step (the current one, else the next: both are accepted). */
  const pickMfa = (): { user: MfaUser; step: number } => {
    const now = stepNow();
    for (let i = 0; i < mfaUsers.length * 2; i++) {
      const user = mfaUsers[nextMfa++ % mfaUsers.length];
      const step = user.lastStep < now ? now : user.lastStep < now + 1 ? now + 1 : null;
      if (step !== null) {
        user.lastStep = step;
        return { user, step };
      }
    }
    throw new Error('every bench user used its codes for this step; seed more users');
  };
  const signInWithMfa = async (): Promise<boolean> => {
    const { user, step } = pickMfa();
    const first = await post('login', { login: user.username, password: BENCH_PASSWORD });
    const challenge = (await first.json()) as { mfaToken?: string };
    if (first.status !== 403 || !challenge.mfaToken) return false;
    const done = await post('mfa/verify', { mfaToken: challenge.mfaToken, method: 'totp', code: code(user.secret, step) });
    await done.arrayBuffer();
    return done.status === 200;
  };
  const signInWithPassword = async (): Promise<boolean> => {
    const user = plainUsers[nextPlain++ % plainUsers.length];
    const res = await post('login', { login: user.username, password: BENCH_PASSWORD });
    await res.arrayBuffer();
    return res.status === 200;
  };
  /** `connections` clients, each sending its next sign-in when the last is answered, for `seconds`. */
  const closedLoop = async (signIn: () => Promise<boolean>, seconds: number) => {
    const deadline = performance.now() + seconds * 1000;
    const samples: number[] = [];
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: bench.connections }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          if (await signIn()) samples.push(performance.now() - t0);
          else errors += 1;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    samples.sort((a, b) => a - b);
    return { rps: Math.round((samples.length / elapsed) * 10) / 10, p50: percentile(samples, 50), p99: percentile(samples, 99), errors };
  };

  try {
    const roundS = Math.max(2, Math.round(bench.durationS / 2));
    await closedLoop(signInWithMfa, 2);
    let best = { rps: 0, p50: 0, p99: 0, errors: 0 };
    let bestPlain = 0;
    const rounds: { mfa: number[]; password: number[] } = { mfa: [], password: [] };
    let errors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const plain = await closedLoop(signInWithPassword, roundS);
      const mfa = await closedLoop(signInWithMfa, roundS);
      rounds.password.push(plain.rps);
      rounds.mfa.push(mfa.rps);
      bestPlain = Math.max(bestPlain, plain.rps);
      errors += mfa.errors + plain.errors;
      if (mfa.rps > best.rps) best = mfa;
    }
    bench.extra.mfaLogin = {
      unit: `sign-ins/s with ${bench.connections} closed-loop clients: password + TOTP (two requests) vs password only, ${ROUNDS} alternating rounds of ${roundS} s`,
      rounds,
    };
    const r = (n: number) => Math.round(n * 100) / 100;
    return { name: 'mfa-login', rps: best.rps, p50Ms: r(best.p50), p99Ms: r(best.p99), errors, baselineRps: bestPlain, ratio: ratio(best.rps, bestPlain) };
  } finally {
    await bench.db.query(`DELETE FROM mfa_factors WHERE name = 'bench'`);
    await bench.db.query(`UPDATE users SET mfa_enabled = false WHERE mfa_enabled`);
  }
}
