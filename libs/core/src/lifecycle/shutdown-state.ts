import { Injectable } from '@nestjs/common';

/**
 * Where this instance is in its shutdown, and the HTTP requests it is serving:
 * - draining: readiness answers 503 (load balancers stop sending) while requests are still served;
 * - closing: new requests are refused (503) and shutdown waits for the ones in flight, so that they
 *   finish before anything they need (background work, queues, the database) is closed.
 */
@Injectable()
export class ShutdownState {
  private draining = false;
  private closing = false;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  get isDraining(): boolean {
    return this.draining;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** HTTP requests begun and not yet answered (or abandoned by their client). */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  beginDraining(): void {
    this.draining = true;
  }

  beginClosing(): void {
    this.draining = true;
    this.closing = true;
  }

  requestStarted(): void {
    this.inFlight += 1;
  }

  requestEnded(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves true once no request is in flight, or false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(wake);
    });
  }
}
