import { Injectable } from '@nestjs/common';

/** Whether this instance is draining: readiness answers 503 from the moment shutdown begins. */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  beginDraining(): void {
    this.draining = true;
  }
}
