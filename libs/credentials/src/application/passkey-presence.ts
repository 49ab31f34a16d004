import { Injectable } from '@nestjs/common';
import { FactorRepository } from '../domain/factors';

/** Whether a user can sign in with a passkey (for the rule that keeps one way to sign in). */
@Injectable()
export class PasskeyPresence {
  constructor(private readonly factors: FactorRepository) {}

  async hasPasskey(userId: string): Promise<boolean> {
    return (await this.factors.confirmedTypes(userId)).includes('webauthn');
  }
}
