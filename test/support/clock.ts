import { Clock } from '@app/core';

/**
 * The test app's clock: real time plus an offset the test moves forward, so expiry, TTLs, lockouts and
 * grace windows are crossed at once instead of waited for. Everything in the service that tells time
 * asks this clock (SQL gets `now` as a parameter), so moving it moves the whole service.
 */
export class TestClock extends Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  now(): Date {
    return new Date(this.nowMs());
  }

  override nowMs(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  /** Moves time forward by `ms` (seconds: `advance(61_000)`). */
  advance(ms: number): void {
    if (ms < 0) throw new Error('time only moves forward');
    this.offsetMs += ms;
  }

  /** Stops time where it is (until `resume()`); `advance` still moves it. */
  freeze(): void {
    this.frozenAt ??= Date.now();
  }

  resume(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs -= Date.now() - this.frozenAt;
    this.frozenAt = undefined;
    if (this.offsetMs < 0) this.offsetMs = 0;
  }
}
