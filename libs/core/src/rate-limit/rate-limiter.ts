import { Clock } from '../clock';
import { RateLimitedError } from '../errors';
import { gcraHit, gcraRule, RateLimitDecision } from './gcra';

export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * Counts requests per key, at most `limit` per `windowSeconds` (GCRA: a burst of `limit`, then one
 * every `windowSeconds / limit`). The production binding (`PgRateLimiter`, `@app/persistence`) keeps
 * the state in Postgres, so every instance counts together; each call is one statement whatever the
 * limit. Keys are free text: prefix them with what they count, e.g. `user:<id>:email-change`.
 */
export abstract class RateLimiter {
  /** Counts one request against `key` and says whether it is allowed. Refused requests do not count. */
  abstract hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;

  /** `hit`, throwing 429 (`code`, default `RATE_LIMITED`) with `Retry-After` when refused. */
  async enforce(key: string, limit: number, windowSeconds: number, code = RATE_LIMITED, message = 'Too many requests; retry later'): Promise<RateLimitDecision> {
    const decision = await this.hit(key, limit, windowSeconds);
    if (!decision.allowed) throw new RateLimitedError(code, message, decision.retryAfterSeconds);
    return decision;
  }
}

/** The same rule held in this process's memory (one number per key): for unit tests and tools. */
export class InMemoryRateLimiter extends RateLimiter {
  private readonly tats = new Map<string, number>();

  constructor(private readonly clock: Clock) {
    super();
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const nowUs = this.clock.nowMs() * 1000;
    const { tatUs, decision } = gcraHit(this.tats.get(key) ?? null, nowUs, gcraRule(limit, windowSeconds));
    if (tatUs !== null) this.tats.set(key, tatUs);
    return decision;
  }
}
