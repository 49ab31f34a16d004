import { Clock } from '../clock';
import { RateLimitedError } from '../errors';
import { gcraHit, gcraRule } from './gcra';
import { InMemoryRateLimiter } from './rate-limiter';
import { clientAddressKey } from './client-address';

class FakeClock extends Clock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

describe('GCRA rate limiter', () => {
  let clock: FakeClock;
  let limiter: InMemoryRateLimiter;
  beforeEach(() => {
    clock = new FakeClock();
    limiter = new InMemoryRateLimiter(clock);
  });

  const burst = async (n: number, key = 'k', limit = 20, window = 60) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await limiter.hit(key, limit, window));
    return out;
  };

  it('allows a burst of `limit`, then refuses with the wait until the next slot', async () => {
    const answers = await burst(21);
    expect(answers.slice(0, 20).every((a) => a.allowed)).toBe(true);
    expect(answers.map((a) => a.remaining).slice(0, 3)).toEqual([19, 18, 17]);
    expect(answers[19].remaining).toBe(0);
    expect(answers[20]).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 3 });
  });

  it('refills at limit/window and refused hits do not count', async () => {
    await burst(20);
    for (let i = 0; i < 50; i++) expect((await limiter.hit('k', 20, 60)).allowed).toBe(false);
    clock.advance(2.999);
    expect((await limiter.hit('k', 20, 60)).retryAfterSeconds).toBe(1);
    clock.advance(0.001);
    expect((await limiter.hit('k', 20, 60)).allowed).toBe(true);
    expect((await limiter.hit('k', 20, 60)).allowed).toBe(false);
    // A minute of quiet restores the whole burst, never more.
    clock.advance(600);
    const again = await burst(21);
    expect(again.filter((a) => a.allowed)).toHaveLength(20);
  });

  it('holds the sustained rate: over ten minutes of constant pressure, burst + rate × time', async () => {
    let allowed = 0;
    for (let ms = 0; ms < 600_000; ms += 250) {
      if ((await limiter.hit('k', 20, 60)).allowed) allowed += 1;
      clock.advance(0.25);
    }
    expect(allowed).toBe(20 + 200 - 1);
  });

  it('keeps keys apart', async () => {
    await burst(20, 'a');
    expect((await limiter.hit('a', 20, 60)).allowed).toBe(false);
    expect((await limiter.hit('b', 20, 60)).allowed).toBe(true);
  });

  it('keeps one number per key whatever the limit (O(1) state and work)', () => {
    const rule = gcraRule(1_000_000, 60);
    let tat: number | null = null;
    const now = 1_000_000_000_000;
    for (let i = 0; i < 1000; i++) tat = gcraHit(tat, now, rule).tatUs;
    expect(tat).toBe(now + 1000 * rule.intervalUs);
    expect(typeof tat).toBe('number');
  });

  it('fits a full burst for limits that do not divide the window', async () => {
    for (const limit of [3, 7, 13, 59, 61, 997]) {
      const answers = await burst(limit + 1, `odd-${limit}`, limit, 60);
      expect(answers.filter((a) => a.allowed)).toHaveLength(limit);
    }
  });

  it('enforce throws 429 RATE_LIMITED with Retry-After', async () => {
    await limiter.enforce('k', 1, 60);
    await expect(limiter.enforce('k', 1, 60)).rejects.toMatchObject({ constructor: RateLimitedError, code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    await expect(limiter.enforce('k', 1, 60, 'UPLOAD_RATE_LIMITED')).rejects.toMatchObject({ code: 'UPLOAD_RATE_LIMITED' });
  });

  it('refuses nonsensical rules', () => {
    expect(() => gcraRule(0, 60)).toThrow(RangeError);
    expect(() => gcraRule(1.5, 60)).toThrow(RangeError);
    expect(() => gcraRule(5, 0)).toThrow(RangeError);
  });
});

describe('clientAddressKey', () => {
  it('counts IPv4 singly, IPv6 by /64, mapped addresses as IPv4', () => {
    expect(clientAddressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });
});
