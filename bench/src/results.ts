import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ScenarioResult } from './context';
import { ROOT } from './processes';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  postgres: string;
  /** 1-minute load average when the run began: other work on the machine makes figures noisy. */
  loadAverageAtStart: number;
}

export interface Results {
  machine: Machine;
  startedAt: string;
  finishedAt: string;
  commit: string;
  scenarios: ScenarioResult[];
  extra: Record<string, unknown>;
}

export function describeMachine(postgres: string): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version,
    postgres,
    loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}

const cell = (v: number | null | undefined, suffix = '') => (v === null || v === undefined ? '—' : `${v}${suffix}`);

/** What each row means, where it is not simply requests per second. */
const MEANING: Record<string, string> = {
  health: 'GET /health/live',
  'users-me': 'GET /users/me (token check + primary-key read)',
  'tasks-list': 'GET /tasks?limit=20, 100 000 tasks / 1 000 users',
  'tasks-create': 'POST /tasks (task + history event, one transaction)',
  login: 'POST /auth/login; baseline = raw argon2id hashes/s',
  'login-closed-loop': '16 clients logging in back to back, default settings; rps = completed logins/s; baseline = raw argon2id hashes/s',
  'mfa-login': 'password + TOTP sign-in (login → 403 MFA_REQUIRED → /auth/mfa/verify), 16 closed-loop clients; baseline = password-only logins/s, same clients',
  refresh: 'POST /auth/refresh (rotation)',
  realtime: 'PATCH → event at the owner’s socket, 1 000 sockets; rps = events/s',
  soak: 'mixed traffic (logins, refreshes, reads, writes, 100 sockets), ten minutes; req/s = mean',
  cleanup: '1 M expired refresh tokens; rps = rows deleted/s; latency = reads during the job',
  startup: 'process start → /health/ready, existing data dir; p50 = median, p99 = slowest',
};

type Check = [target: string, value: string, reached: boolean | undefined];

/** The issue's targets, checked against a run: reached, missed, or not measured on this build. */
export function targets(results: Results): Check[] {
  const scenario = (name: string) => results.scenarios.find((s) => s.name === name && !s.note);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form extras, as each scenario writes them
  const extra = results.extra as Record<string, Record<string, any>>;
  const checks: Check[] = [];
  for (const name of ['users-me', 'tasks-list']) {
    const s = scenario(name);
    checks.push([`${name}: at least 0.6 of the baseline's requests/s`, s ? `${s.ratio}` : 'not measured', s ? (s.ratio ?? 0) >= 0.6 : undefined]);
  }
  const login = scenario('login');
  checks.push(['login: at least 0.9 of the raw argon2id rate', login ? `${login.ratio}` : 'not measured', login ? (login.ratio ?? 0) >= 0.9 : undefined]);
  const closed = scenario('login-closed-loop');
  const c64 = extra.loginClosedLoop?.clients64;
  checks.push([
    '16 closed-loop clients, default settings: completed logins at least 0.9 of raw argon2id',
    closed ? `${closed.ratio} (${closed.rps}/s; 64 clients: ${c64?.bestOverRaw})` : 'not measured',
    closed ? (closed.ratio ?? 0) >= 0.9 : undefined,
  ]);
  const meP99 = extra.login?.usersMeDuringLogins?.p99Ms as number | undefined;
  checks.push(['GET /users/me p99 while logins saturate the CPU: below 50 ms', meP99 === undefined ? 'not measured' : `${meP99} ms`, meP99 === undefined ? undefined : meP99 < 50]);
  const o = extra.login?.overload;
  if (o) {
    checks.push([
      '64 clients on /auth/login: excess shed with 429/503 + Retry-After, no client time-outs, ready throughout',
      `${o.shed} shed (p50 ${o.shedP50Ms} ms), ${o.shedWithoutRetryAfter} without Retry-After, ${o.clientTimeouts} time-outs, ${o.readiness.notReady} failed readiness probes`,
      o.shed > 0 && o.shedWithoutRetryAfter === 0 && o.clientTimeouts === 0 && o.readiness.notReady === 0,
    ]);
    checks.push([
      'no work for clients that gave up: a login right after 10 abandoned ones',
      `${o.abandonedClients.loginRightAfterMs} ms (idle: ${o.abandonedClients.idleLoginMs} ms)`,
      o.abandonedClients.loginRightAfterStatus === 200 && o.abandonedClients.loginRightAfterMs < 3 * Math.max(o.abandonedClients.idleLoginMs, 50),
    ]);
    checks.push([
      'login throughput right after the burst as before it (at least 0.9, each against raw argon2id measured beside it)',
      `${o.loginsPerSecondAfter}/s after, ${o.loginsPerSecondBefore}/s before; raw ${o.rawArgon2After}/s and ${o.rawArgon2Before}/s (${o.afterOverBeforeVsRaw})`,
      o.afterOverBeforeVsRaw >= 0.9,
    ]);
  }
  const rt = scenario('realtime');
  checks.push(['real-time p99 below 50 ms at 1 000 clients', rt ? `${rt.p99Ms} ms` : 'not measured', rt ? (rt.p99Ms ?? Infinity) < 50 : undefined]);
  const rss = extra.realtime?.rssPer1000IdleSocketsMb as number | undefined;
  checks.push(['below 100 MB RSS per 1 000 idle sockets', rss === undefined ? 'not measured' : `${rss} MB`, rss === undefined ? undefined : rss < 100]);
  const soak = extra.soak;
  if (soak) {
    checks.push([
      'soak: nothing lost (every acknowledged write stored as acknowledged, and its event at the owner’s socket)',
      `${soak.writesAcknowledged} writes, ${soak.tasksNotAsAcknowledged} tasks not as acknowledged, ${soak.eventsMissing} events missing`,
      soak.tasksNotAsAcknowledged === 0 && soak.eventsMissing === 0,
    ]);
  }
  const c = extra.cleanup;
  if (c?.durationS !== undefined) {
    checks.push(['cleanup: 1 M rows in under a minute', `${c.rowsDeleted} rows in ${c.durationS} s`, c.rowsDeleted >= 1_000_000 && c.durationS < 60]);
    checks.push(['cleanup: p99 of concurrent reads no more than doubled', `${c.duringCleanup.p99Ms} ms during, ${c.withoutCleanup.p99Ms} ms without (${c.p99DuringOverWithout}×)`, c.p99DuringOverWithout <= 2]);
  } else checks.push(['cleanup: 1 M rows in under a minute', 'not measured', undefined]);
  const st = scenario('startup');
  checks.push(['start-up below 3 s with an existing data dir (median)', st ? `${st.p50Ms} ms (slowest ${st.p99Ms} ms)` : 'not measured', st ? (st.p50Ms ?? Infinity) < 3000 : undefined]);
  return checks;
}

/** The login rate against the bare login of the baseline server, and where a login's CPU goes. */
function loginContext(results: Results): string[] {
  const login = results.extra.login as
    | {
        bareLogin?: { loginsPerSecond: number; appOverBare: number | null; bareOverRaw: number | null };
        cpuPerLoginMs?: Record<string, number>[];
        bareCpuPerLoginMs?: Record<string, number>[];
        rounds?: { raw: number[]; logins: number[] };
      }
    | undefined;
  if (!login?.bareLogin) return [];
  const bare = login.bareLogin;
  const lines = [
    '',
    `Logins in context: the baseline server's bare login (the same statements, argon2id verification and ES256 signature, no framework) ` +
      `reaches ${bare.loginsPerSecond}/s, ${bare.bareOverRaw} of the raw argon2id rate; the app reaches ${bare.appOverBare} of the bare login.`,
  ];
  const rounds = login.rounds;
  if (rounds?.raw.length && rounds.raw.length === rounds.logins.length) {
    // Each login round against the raw rate measured just before it (the same state of a shared machine).
    const paired = rounds.logins.map((rate, i) => Math.round((rate / rounds.raw[i]) * 100) / 100);
    lines.push(`Login ÷ raw argon2id round by round (each against the raw rate measured just before it): ${paired.join(', ')}.`);
  }
  const range = (rows: Record<string, number>[], key: string) => {
    const values = rows.map((r) => r[key]);
    return `${Math.min(...values)}–${Math.max(...values)}`;
  };
  const cpu = login.cpuPerLoginMs;
  if (cpu?.length) {
    lines.push(
      `CPU ms per login by round: raw hash ${range(cpu, 'rawHash')}, app hashing ${range(cpu, 'appHashing')}, app main thread ${range(cpu, 'appMain')}, ` +
        `Postgres ${range(cpu, 'postgres')}, load generator ${range(cpu, 'loadGenerator')}; ` +
        `raw hash CPU over a login's CPU (the rate the cores allow, relative to raw) ${range(cpu, 'cpuBound')}.`,
    );
  }
  const bareCpu = login.bareCpuPerLoginMs;
  if (bareCpu?.length) {
    lines.push(
      `The bare login, the same way: hashing ${range(bareCpu, 'appHashing')}, main thread ${range(bareCpu, 'appMain')}, ` +
        `Postgres ${range(bareCpu, 'postgres')}, load generator ${range(bareCpu, 'loadGenerator')}; the rate its CPU allows ${range(bareCpu, 'cpuBound')} of raw.`,
    );
  }
  return lines;
}

/** The soak's windows: throughput, latency and the server's memory over time. */
function soakWindows(results: Results): string[] {
  const soak = results.extra.soak as
    | { seconds: number; windowS: number; windows: { atS: number; rps: number; p99Ms: number; errors: number; rssMb: number; heapUsedMb: number | null; eventsReceived: number }[]; rssGrowthMb: number; heapGrowthMb: number | null }
    | undefined;
  if (!soak?.windows?.length) return [];
  return [
    '',
    `Soak, ${soak.seconds} s in ${soak.windowS}-second windows (server RSS and V8 heap used at each window's end; growth from the first full window to the last: RSS ${soak.rssGrowthMb} MB, heap ${soak.heapGrowthMb ?? '—'} MB):`,
    '',
    '| until s | req/s | p99 ms | errors | socket events | RSS MB | heap MB |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...soak.windows.map((w) => `| ${w.atS} | ${w.rps} | ${w.p99Ms} | ${w.errors} | ${w.eventsReceived} | ${w.rssMb} | ${w.heapUsedMb ?? '—'} |`),
  ];
}

/** Below this slowest ÷ fastest host-speed reading, a run is flagged as taken on an unsteady host. */
const UNSTEADY_HOST = 0.75;

/** Raw argon2id for a second before and after each scenario: which ones ran while the host was slower. */
function hostSpeedLine(results: Results): string[] {
  const host = results.extra.hostSpeed as { unit: string; scenarios: Record<string, { before: number; after: number }> } | undefined;
  const entries = Object.entries(host?.scenarios ?? {});
  if (entries.length === 0) return [];
  const all = entries.flatMap(([, s]) => [s.before, s.after]);
  const fastest = Math.max(...all);
  const spread = fastest > 0 ? Math.round((Math.min(...all) / fastest) * 100) / 100 : 0;
  const lines = [
    '',
    `Host speed around each scenario (${host!.unit}, before → after): ${entries.map(([name, s]) => `${name} ${s.before} → ${s.after}`).join(', ')}; ` +
      `the slowest reading is ${spread} of the fastest — a scenario next to a low reading ran on a busier host.`,
  ];
  if (spread < UNSTEADY_HOST)
    lines.push(`**The host's speed changed by more than ${Math.round((1 - UNSTEADY_HOST) * 100)}% during this run: its figures say more about the host than about the service; run it again.**`);
  return lines;
}

export function markdown(results: Results): string {
  const m = results.machine;
  const lines = [
    `Run of ${results.startedAt} on commit \`${results.commit}\` — ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, ${m.postgres} (load average ${m.loadAverageAtStart} at start).`,
    '',
    '| scenario | what | req/s | p50 ms | p99 ms | errors | baseline req/s | app ÷ baseline |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...results.scenarios.map((s) =>
      s.note
        ? `| ${s.name} | ${MEANING[s.name] ?? ''} | ${s.note} | | | | | |`
        : `| ${s.name} | ${MEANING[s.name] ?? ''} | ${cell(s.rps)} | ${cell(s.p50Ms)} | ${cell(s.p99Ms)} | ${cell(s.errors)} | ${cell(s.baselineRps)} | ${cell(s.ratio)} |`,
    ),
    '',
    '| target | this run | |',
    '|---|---|---|',
    ...targets(results).map(([target, value, reached]) => `| ${target} | ${value} | ${reached === undefined ? 'not measured' : reached ? 'reached' : '**missed**'} |`),
    ...loginContext(results),
    ...soakWindows(results),
    ...hostSpeedLine(results),
  ];
  return `${lines.join('\n')}\n`;
}

const RESULTS_START = '<!-- bench:results:start -->';
const RESULTS_END = '<!-- bench:results:end -->';
/** The document whose results table each run refreshes (between the two markers). */
export const RESULTS_DOC = join(ROOT, 'docs', 'benchmarks.md');

/**
 * `text` with whatever stands between the results markers replaced by `md`; `undefined` when the
 * markers are missing or out of order (the document is then left alone).
 */
export function replaceResultsTable(text: string, md: string): string | undefined {
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  if (start === -1 || end <= start) return undefined;
  return `${text.slice(0, start + RESULTS_START.length)}\n${md}${text.slice(end)}`;
}

/** Writes `bench/results/<date>.json|md` and `latest.json|md`, and the table in docs/benchmarks.md. */
export function writeResults(results: Results): { json: string; md: string } {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.slice(0, 16).replace(':', '');
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const md = markdown(results);
  writeFileSync(join(dir, `${stamp}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `${stamp}.md`), md);
  writeFileSync(join(dir, 'latest.md'), md);
  if (existsSync(RESULTS_DOC)) {
    const updated = replaceResultsTable(readFileSync(RESULTS_DOC, 'utf8'), md);
    if (updated !== undefined) writeFileSync(RESULTS_DOC, updated);
  }
  return { json: join(dir, `${stamp}.json`), md: join(dir, `${stamp}.md`) };
}
