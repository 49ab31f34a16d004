import type autocannon = require('autocannon');
import * as argon2 from 'argon2';
import { availableParallelism } from 'node:os';
import { ARGON2_OPTIONS } from '@app/credentials/infrastructure/argon2-password-hasher';
import { Bench, ratio, rotatingAuth, ScenarioResult } from '../context';
import { load, Measurement, percentile, Sample } from '../load';
import { threadCpuMs, treeCpuMs, treeCpuSince } from '../processes';
import { BENCH_PASSWORD, BenchUser } from '../seed';
import { compare } from './http';

/** argon2id hashes per second with the app's parameters, `concurrency` at a time, for `seconds`. */
export async function rawArgon2Rate(concurrency: number, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await argon2.hash(BENCH_PASSWORD, ARGON2_OPTIONS);
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Math.round((done / ((performance.now() - started) / 1000)) * 10) / 10;
}

/**
 * Logs in as the bench users in turn (a correct password: every request costs one argon2 verify).
 * The requests are rendered once, not per request: the load generator shares the machine's cores
 * with the hashing, and the raw argon2id rate it is compared with has no client to feed.
 */
function rotatingLogin(users: BenchUser[], onResponse?: autocannon.Request['onResponse']): autocannon.Request[] {
  return users.map((user) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user.username, password: BENCH_PASSWORD }),
    onResponse,
  }));
}

/**
 * Login as a paired scenario (`--aa`, `--against`): the same logins against both servers in
 * alternating rounds, ratio of the best rounds — for comparing two builds of the app, not for the
 * argon2 bound (that is `login`).
 */
export async function loginPaired(bench: Bench): Promise<ScenarioResult> {
  const connections = availableParallelism() * 2;
  return (await compare(bench, 'login-paired', { path: '/api/v1/auth/login', connections, durationS: bench.durationS, requests: rotatingLogin(bench.users) })).result;
}

/**
 * CPU milliseconds per login (and per raw hash), and the login rate that CPU allows relative to raw.
 * `app*` are the server's: the app's, or the baseline's for the bare login.
 */
interface CpuPerLogin {
  rawHash: number;
  appMain: number;
  appHashing: number;
  postgres: number;
  loadGenerator: number;
  /** Raw hash CPU over all the CPU a login costs: the login rate the CPU allows, relative to raw. */
  cpuBound: number;
}

function cpuPerLogin(parts: Omit<CpuPerLogin, 'cpuBound'>): CpuPerLogin {
  const r = (n: number) => Math.round(n * 100) / 100;
  const total = parts.appMain + parts.appHashing + parts.postgres + parts.loadGenerator;
  return {
    rawHash: r(parts.rawHash),
    appMain: r(parts.appMain),
    appHashing: r(parts.appHashing),
    postgres: r(parts.postgres),
    loadGenerator: r(parts.loadGenerator),
    cpuBound: r(parts.rawHash / total),
  };
}

const LOGIN_ROUNDS = 5;

const loginUrl = (bench: Bench) => `${bench.app.url}/api/v1/auth/login`;
const pct = (samples: Sample[], p: number) => Math.round(percentile(samples.map((s) => s.ms).sort((a, b) => a - b), p) * 100) / 100;

/** One login, timed (ms), and its status. */
async function timedLogin(bench: Bench, user: BenchUser, signal?: AbortSignal): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(loginUrl(bench), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user.username, password: BENCH_PASSWORD }),
    signal,
  });
  await res.arrayBuffer();
  return { ms: Math.round(performance.now() - started), status: res.status };
}

/**
 * 5. Login, bounded by argon2: logins/s against raw argon2 hashes/s measured now, on this machine;
 * the p99 of `GET /users/me` while logins keep the CPU busy; then the overload the issue describes.
 */
export async function login(bench: Bench): Promise<ScenarioResult> {
  const cores = availableParallelism();
  // Enough clients to keep every hashing slot busy without queueing beyond the admission limit.
  const connections = cores * 2;
  const loginRun = (durationS: number, url = loginUrl(bench)) => load({ url, connections, durationS, requests: rotatingLogin(bench.users) });
  const baselineLoginUrl = `${bench.baseline.url}/api/v1/auth/login`;
  // Warm-up long enough for V8 to have optimised the login path (a few hundred logins).
  await loginRun(Math.max(3, Math.round(bench.durationS / 2)));
  await loginRun(2, baselineLoginUrl);
  // Alternating rounds of raw hashing (here, the app idle) and logins; each side keeps its best.
  // Five, not four as in the paired scenarios: the rate of a hash-bound round swings with the machine's other
  // load, and the best of five is a steadier estimate of each side's undisturbed rate.
  const roundS = Math.max(2, Math.round(bench.durationS / 2));
  let raw = 0;
  let logins: Measurement | undefined;
  const rounds: { raw: number[]; logins: number[]; baselineLogins: number[] } = { raw: [], logins: [], baselineLogins: [] };
  let baselineLogins = 0;
  // Where the CPU goes, per round: raw hashing in this process; per login, the app's main thread,
  // its hashing threads, Postgres and this process (the load generator). Steadier than rates.
  const cpuRounds: CpuPerLogin[] = [];
  const bareCpuRounds: CpuPerLogin[] = [];
  // A round of logins against one server, and the CPU each login cost: the server's main thread and
  // hashing threads, Postgres, and this process (the load generator).
  const measured = async (pid: number, rawHash: number, run: () => Promise<{ measurement: Measurement }>) => {
    const before = { server: threadCpuMs(pid), pg: treeCpuMs(bench.postgresPid), client: process.cpuUsage() };
    const m = (await run()).measurement;
    const server = threadCpuMs(pid);
    const client = process.cpuUsage(before.client);
    const n = Math.max(1, m.requests);
    const cpu = cpuPerLogin({
      rawHash,
      appMain: (server.main - before.server.main) / n,
      appHashing: (server.others - before.server.others) / n,
      postgres: treeCpuSince(before.pg, bench.postgresPid) / n,
      loadGenerator: (client.user + client.system) / 1000 / n,
    });
    return { m, cpu };
  };
  for (let round = 0; round < LOGIN_ROUNDS; round++) {
    const rawCpu = process.cpuUsage();
    const rawStarted = performance.now();
    const r = await rawArgon2Rate(cores, roundS);
    const rawSpent = process.cpuUsage(rawCpu);
    const hashes = r * ((performance.now() - rawStarted) / 1000);
    rounds.raw.push(r);
    raw = Math.max(raw, r);
    const rawHash = (rawSpent.user + rawSpent.system) / 1000 / Math.max(1, hashes);
    const { m, cpu } = await measured(bench.app.child.pid!, rawHash, () => loginRun(roundS));
    cpuRounds.push(cpu);
    rounds.logins.push(m.rps);
    if (!logins || m.rps > logins.rps) logins = m;
    // The bare login (baseline server): the same statements, hash and signature without the framework.
    const { m: b, cpu: bareCpu } = await measured(bench.baseline.child.pid!, rawHash, () => loginRun(roundS, baselineLoginUrl));
    bareCpuRounds.push(bareCpu);
    rounds.baselineLogins.push(b.rps);
    baselineLogins = Math.max(baselineLogins, b.rps);
  }
  logins = logins!;
  bench.log(`argon2id (m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism}), ${cores} at a time: ${JSON.stringify(rounds.raw)} hashes/s`);
  bench.log(`login: ${JSON.stringify(rounds.logins)} logins/s (best: p99 ${logins.p99Ms} ms, ${logins.errors} errors)`);
  bench.log(`login CPU ms per login, by round: ${JSON.stringify(cpuRounds)}`);
  bench.log(`bare login CPU ms per login, by round: ${JSON.stringify(bareCpuRounds)}`);
  bench.log(`bare login (baseline server): ${JSON.stringify(rounds.baselineLogins)} logins/s; app ÷ bare ${ratio(logins.rps, baselineLogins)}, bare ÷ raw ${ratio(baselineLogins, raw)}`);

  // Ordinary reads at a steady 100 req/s while logins saturate the CPU.
  const [underLogin, meUnderLoad] = await Promise.all([
    load({ url: loginUrl(bench), connections, durationS: bench.durationS, requests: rotatingLogin(bench.users) }),
    load({ url: `${bench.app.url}/api/v1/users/me`, connections: 4, overallRate: 100, durationS: bench.durationS, requests: [rotatingAuth(bench.users)] }),
  ]);
  const me = meUnderLoad.measurement;
  bench.log(`users-me during logins: p50 ${me.p50Ms} ms, p99 ${me.p99Ms} ms (${me.errors} errors); logins meanwhile ${underLogin.measurement.rps}/s`);

  const overload = await loginOverload(bench, logins, raw);
  const fewerSlots = await withOneCoreForRequests(bench, cores, roundS);
  bench.extra.login = {
    argon2: { ...ARGON2_OPTIONS, type: 'argon2id', concurrency: cores, hashesPerSecond: raw },
    loginConnections: connections,
    rounds: { seconds: roundS, ...rounds },
    cpuPerLoginMs: cpuRounds,
    bareCpuPerLoginMs: bareCpuRounds,
    bareLogin: { loginsPerSecond: baselineLogins, appOverBare: ratio(logins.rps, baselineLogins), bareOverRaw: ratio(baselineLogins, raw) },
    statuses: logins.statuses,
    usersMeDuringLogins: { rate: 100, p50Ms: me.p50Ms, p99Ms: me.p99Ms, errors: me.errors, loginsPerSecondMeanwhile: underLogin.measurement.rps },
    overload,
    oneCoreLeftForRequests: fewerSlots,
  };
  return { name: 'login', rps: logins.rps, p50Ms: logins.p50Ms, p99Ms: logins.p99Ms, errors: logins.errors, baselineRps: raw, ratio: ratio(logins.rps, raw) };
}

/**
 * The trade-off behind the hashing slots: with `PASSWORD_HASH_CONCURRENCY` one below the cores, one
 * core stays free for ordinary requests — logins/s and the `GET /users/me` p99 under logins then.
 */
async function withOneCoreForRequests(bench: Bench, cores: number, seconds: number): Promise<Record<string, unknown>> {
  const slots = Math.max(1, cores - 1);
  await bench.restartApp({ PASSWORD_HASH_CONCURRENCY: String(slots) });
  try {
    const connections = cores * 2;
    await load({ url: loginUrl(bench), connections, durationS: 2, requests: rotatingLogin(bench.users) });
    const [logins, me] = await Promise.all([
      load({ url: loginUrl(bench), connections, durationS: seconds, requests: rotatingLogin(bench.users) }),
      load({ url: `${bench.app.url}/api/v1/users/me`, connections: 4, overallRate: 100, durationS: seconds, requests: [rotatingAuth(bench.users)] }),
    ]);
    const result = {
      passwordHashConcurrency: slots,
      loginsPerSecond: logins.measurement.rps,
      usersMeP50Ms: me.measurement.p50Ms,
      usersMeP99Ms: me.measurement.p99Ms,
    };
    bench.log(`login with one core left for requests: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await bench.restartApp();
  }
}

/**
 * 64 clients hammering `/auth/login`: are logins beyond capacity shed quickly (429/503 with
 * Retry-After) while the service stays ready; is no work done for clients that gave up; and is the
 * login rate right after the burst what it was before?
 */
async function loginOverload(bench: Bench, before: Measurement, rawBefore: number): Promise<Record<string, unknown>> {
  const clients = 64;
  let shedWithRetryAfter = 0;
  let shedWithoutRetryAfter = 0;
  const countShed: autocannon.Request['onResponse'] = (status, _body, _context, headers) => {
    if (status === 429 || status === 503) {
      if (headers['retry-after'] || headers['Retry-After']) shedWithRetryAfter += 1;
      else shedWithoutRetryAfter += 1;
    }
  };
  const readiness: number[] = [];
  let notReady = 0;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const started = performance.now();
      try {
        const res = await fetch(`${bench.app.url}/health/ready`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (!res.ok) notReady += 1;
      } catch {
        notReady += 1;
      }
      readiness.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const burst = await load({
    url: loginUrl(bench),
    connections: clients,
    durationS: bench.durationS,
    timeoutS: 10,
    keepSamples: true,
    ok: (s) => s === 200,
    requests: rotatingLogin(bench.users, countShed),
  });
  probing = false;
  await probe;
  const ok = burst.samples.filter((s) => s.status === 200);
  const shed = burst.samples.filter((s) => s.status === 429 || s.status === 503);
  const other = burst.samples.filter((s) => s.status !== 200 && s.status !== 429 && s.status !== 503);

  // Clients that give up: ten logins abandoned after 50 ms, then one more, timed — if the abandoned
  // ones were still hashed, it would wait behind them.
  const idle = await timedLogin(bench, bench.users[1]);
  const abandoned = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) => timedLogin(bench, bench.users[10 + i], AbortSignal.timeout(50))),
  );
  const afterAbandoned = await timedLogin(bench, bench.users[2]);

  // Measured as before the burst: the best of two rounds of half the scenario's duration.
  const afterRun = () => load({ url: loginUrl(bench), connections: availableParallelism() * 2, durationS: Math.max(2, Math.round(bench.durationS / 2)), requests: rotatingLogin(bench.users) });
  const afterRounds = [(await afterRun()).measurement, (await afterRun()).measurement];
  const after = afterRounds[0].rps >= afterRounds[1].rps ? afterRounds[0] : afterRounds[1];
  // The machine may be busier now than before the burst: raw hashing measured again tells.
  const rawAfter = await rawArgon2Rate(availableParallelism(), Math.max(2, Math.round(bench.durationS / 2)));
  const readySorted = readiness.sort((a, b) => a - b);
  const result = {
    clients,
    clientTimeoutS: 10,
    loginsPerSecond: Math.round((ok.length / burst.measurement.durationS) * 10) / 10,
    okP50Ms: pct(ok, 50),
    okP99Ms: pct(ok, 99),
    shed: shed.length,
    shedPerSecond: Math.round((shed.length / burst.measurement.durationS) * 10) / 10,
    shedP50Ms: pct(shed, 50),
    shedP99Ms: pct(shed, 99),
    shedWithRetryAfter,
    shedWithoutRetryAfter,
    otherStatuses: other.length,
    clientTimeouts: burst.measurement.timeouts,
    statuses: burst.measurement.statuses,
    readiness: { probes: readiness.length, notReady, p50Ms: Math.round(percentile(readySorted, 50)), maxMs: Math.round(readySorted[readySorted.length - 1] ?? 0) },
    abandonedClients: {
      idleLoginMs: idle.ms,
      abandoned: abandoned.filter((r) => r.status === 'rejected').length,
      loginRightAfterMs: afterAbandoned.ms,
      loginRightAfterStatus: afterAbandoned.status,
    },
    loginsPerSecondBefore: before.rps,
    loginsPerSecondAfter: after.rps,
    loginsPerSecondAfterRounds: afterRounds.map((m) => m.rps),
    afterOverBefore: ratio(after.rps, before.rps),
    rawArgon2Before: rawBefore,
    rawArgon2After: rawAfter,
    /** After over before, each as a share of the raw argon2id rate measured next to it. */
    afterOverBeforeVsRaw: ratio(after.rps / rawAfter, before.rps / rawBefore),
  };
  bench.log(`login overload: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Closed-loop logins with the default admission settings (issue 14, item 12): 16 clients logging in
 * back to back — each sends its next request as soon as the last is answered and none honours
 * Retry-After — then 64 such clients, where most requests must be refused. Completed logins/s (200s
 * only) against raw argon2id hashes/s measured in alternating rounds of the same run (best of each
 * side), with the 503s/s and the app's main-thread CPU per completed login: a refusal that costs
 * nearly nothing leaves the 64-client rate close to the 16-client one.
 */
export async function loginClosedLoop(bench: Bench): Promise<ScenarioResult> {
  const cores = availableParallelism();
  const roundS = Math.max(2, Math.round(bench.durationS / 2));
  const pid = bench.app.child.pid!;
  const run = async (clients: number, seconds: number) => {
    const before = threadCpuMs(pid);
    const { measurement } = await load({ url: loginUrl(bench), connections: clients, durationS: seconds, ok: (s) => s === 200, requests: rotatingLogin(bench.users) });
    const mainMs = threadCpuMs(pid).main - before.main;
    const completed = measurement.statuses['200'] ?? 0;
    return {
      measurement,
      completed,
      shed: measurement.statuses['503'] ?? 0,
      mainMs,
      completedPerSecond: Math.round((completed / measurement.durationS) * 10) / 10,
      shedPerSecond: Math.round(((measurement.statuses['503'] ?? 0) / measurement.durationS) * 10) / 10,
      mainThreadMsPerCompleted: Math.round((mainMs / Math.max(1, completed)) * 100) / 100,
    };
  };
  await run(16, Math.max(3, roundS));
  const rounds = { raw: [] as number[], clients16: [] as Awaited<ReturnType<typeof run>>[], clients64: [] as Awaited<ReturnType<typeof run>>[] };
  for (let round = 0; round < 3; round++) {
    rounds.raw.push(await rawArgon2Rate(cores, roundS));
    rounds.clients16.push(await run(16, roundS));
    rounds.clients64.push(await run(64, roundS));
  }
  const raw = Math.max(...rounds.raw);
  const best = (xs: Awaited<ReturnType<typeof run>>[]) => xs.reduce((a, b) => (b.completedPerSecond > a.completedPerSecond ? b : a));
  const b16 = best(rounds.clients16);
  const b64 = best(rounds.clients64);
  const summary = (xs: Awaited<ReturnType<typeof run>>[]) => ({
    completedPerSecond: xs.map((x) => x.completedPerSecond),
    shedPerSecond: xs.map((x) => x.shedPerSecond),
    mainThreadMsPerCompleted: xs.map((x) => x.mainThreadMsPerCompleted),
    statuses: xs.map((x) => x.measurement.statuses),
  });
  // What one refusal costs the main thread: a 64-client round's main-thread time, less its completed
  // logins at the per-login cost of the 16-client round beside it, over its refusals.
  const perRefusal = rounds.clients64.map((r, i) => {
    const perLogin = rounds.clients16[i].mainMs / Math.max(1, rounds.clients16[i].completed);
    return r.shed > 0 ? Math.round(((r.mainMs - r.completed * perLogin) / r.shed) * 1000) / 1000 : null;
  });
  const result = {
    rawArgon2PerSecond: rounds.raw,
    clients16: { ...summary(rounds.clients16), bestOverRaw: ratio(b16.completedPerSecond, raw) },
    clients64: { ...summary(rounds.clients64), bestOverRaw: ratio(b64.completedPerSecond, raw), p50Ms: b64.measurement.p50Ms, mainThreadMsPerRefusal: perRefusal },
  };
  bench.log(`login closed loop: ${JSON.stringify(result)}`);
  bench.extra.loginClosedLoop = result;
  const m = b16.measurement;
  return { name: 'login-closed-loop', rps: b16.completedPerSecond, p50Ms: m.p50Ms, p99Ms: m.p99Ms, errors: m.errors, baselineRps: raw, ratio: ratio(b16.completedPerSecond, raw) };
}
