import autocannon = require('autocannon');

/** One measured run: what every scenario reports. */
export interface Measurement {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with an unexpected status, connection errors and client time-outs. */
  errors: number;
  statuses: Record<string, number>;
  timeouts: number;
  durationS: number;
}

/** A response as the load generator saw it: when it ended (epoch ms), how long it took, its status. */
export interface Sample {
  at: number;
  ms: number;
  status: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Per-request customisation (varying bodies, chained refresh tokens). */
  requests?: autocannon.Request[];
  /** Statuses that count as success; default any 2xx. */
  ok?: (status: number) => boolean;
  overallRate?: number;
  /** Client time-out in seconds (autocannon's default is 10). */
  timeoutS?: number;
  /** Keep every response's timing, for windows (cleanup) and per-status latencies (overload). */
  keepSamples?: boolean;
}

export interface LoadRun {
  measurement: Measurement;
  samples: Sample[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Summarises samples: requests/s over `durationS`, exact p50/p99, errors. */
export function summarise(samples: Sample[], durationS: number, ok: (status: number) => boolean, extraErrors = 0, timeouts = 0): Measurement {
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  let bad = 0;
  for (const s of samples) {
    statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    if (!ok(s.status)) bad += 1;
  }
  return {
    requests: samples.length,
    rps: round(samples.length / durationS, 1),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors: bad + extraErrors,
    statuses,
    timeouts,
    durationS: round(durationS, 2),
  };
}

/**
 * Drives `url` with autocannon for `durationS` seconds and measures it from the responses themselves
 * (every response's latency is kept, so percentiles are exact and windows can be cut out later).
 */
export function load(options: LoadOptions): Promise<LoadRun> & { stop(): void } {
  const ok = options.ok ?? ((s: number) => s >= 200 && s < 300);
  const samples: Sample[] = [];
  let instance: autocannon.Instance | undefined;
  let started = 0;
  const promise = new Promise<LoadRun>((resolve, reject) => {
    started = Date.now();
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        requests: options.requests,
        overallRate: options.overallRate,
        timeout: options.timeoutS ?? 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (Date.now() - started) / 1000;
        resolve({
          measurement: summarise(samples, elapsed, ok, result.errors, result.timeouts),
          samples: options.keepSamples ? samples : [],
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      samples.push({ at: Date.now(), ms, status });
    });
  });
  return Object.assign(promise, { stop: () => instance?.stop() });
}

