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
  refresh: 'POST /auth/refresh (rotation)',
  realtime: 'PATCH → event at the owner’s socket, 1 000 sockets; rps = events/s',
  cleanup: '1 M expired refresh tokens; rps = rows deleted/s; latency = reads during the job',
  startup: 'process start → /health/ready, existing data dir; p50 = median, p99 = slowest',
};

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
  ];
  return `${lines.join('\n')}\n`;
}

const README_START = '<!-- bench:results:start -->';
const README_END = '<!-- bench:results:end -->';

/** Writes `bench/results/<date>.json|md` and `latest.json|md`, and the table in the README. */
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
  const readme = join(ROOT, 'README.md');
  if (existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const start = text.indexOf(README_START);
    const end = text.indexOf(README_END);
    if (start !== -1 && end > start) {
      writeFileSync(readme, `${text.slice(0, start + README_START.length)}\n${md}${text.slice(end)}`);
    }
  }
  return { json: join(dir, `${stamp}.json`), md: join(dir, `${stamp}.md`) };
}
