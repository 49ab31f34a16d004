/**
 * The generic cell rate algorithm (GCRA): a token bucket kept as one number per key, the
 * "theoretical arrival time" (TAT). A key may make `limit` requests at once, then one every
 * `window / limit`; each decision reads and writes that one number, so the cost of a call does not
 * depend on the limit (a sliding log keeps one timestamp per request: O(limit)).
 *
 * Times are whole microseconds. The emission interval is rounded down, so a full burst of `limit`
 * requests always fits in the window. `PgRateLimiter` runs the same rule in one SQL statement.
 */

export interface GcraRule {
  /** Microseconds between two requests at the sustained rate: floor(window / limit). */
  intervalUs: number;
  windowUs: number;
}

export function gcraRule(limit: number, windowSeconds: number): GcraRule {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
  if (!(windowSeconds > 0)) throw new RangeError(`rate limit window must be positive, got ${windowSeconds}`);
  const windowUs = Math.round(windowSeconds * 1_000_000);
  return { intervalUs: Math.floor(windowUs / limit), windowUs };
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Further requests that would be allowed right now. */
  remaining: number;
  /** When refused: whole seconds until a request is allowed again (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * The decision, given how far the key's TAT lies ahead of now once the hit is applied (allowed) or
 * left unapplied (refused). Shared by the in-process rule below and the SQL implementation.
 */
export function decisionFrom(refused: boolean, aheadUs: number, rule: GcraRule): RateLimitDecision {
  if (refused) {
    const waitUs = aheadUs + rule.intervalUs - rule.windowUs;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitUs / 1_000_000)) };
  }
  return { allowed: true, remaining: Math.max(0, Math.floor((rule.windowUs - aheadUs) / rule.intervalUs)), retryAfterSeconds: 0 };
}

/** One hit at `nowUs` against a key whose TAT is `tatUs` (null: never seen, or expired). */
export function gcraHit(tatUs: number | null, nowUs: number, rule: GcraRule): { tatUs: number | null; decision: RateLimitDecision } {
  const next = Math.max(tatUs ?? nowUs, nowUs) + rule.intervalUs;
  if (next - nowUs > rule.windowUs) {
    return { tatUs, decision: decisionFrom(true, (tatUs ?? nowUs) - nowUs, rule) };
  }
  return { tatUs: next, decision: decisionFrom(false, next - nowUs, rule) };
}
