import { Injectable } from '@nestjs/common';
import { AuditLog } from '@app/audit';
import { PasskeyPresence } from '@app/credentials';
import { type Actor, CursorCodec, cursorField, Page, toPage } from '@app/kernel';
import { UnitOfWork } from '@app/persistence';
import { UserRepository } from '@app/users';
import { IdentityNotFoundError, LastSignInMethodError } from '../domain/errors';
import type { Identity } from '../domain/model';
import { IdentityRepository } from '../domain/ports';
import type { RequestOrigin } from './provider-sign-in';

/** Identities are listed oldest first: `created_at` (microseconds) and `id`. */
const CURSOR = new CursorCodec(cursorField.timestamp(), cursorField.uuid());

/** The signed-in user's linked identities: list and unlink (never the last way to sign in). */
@Injectable()
export class IdentitiesUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly identities: IdentityRepository,
    private readonly users: UserRepository,
    private readonly passkeys: PasskeyPresence,
    private readonly audit: AuditLog,
  ) {}

  async list(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<Identity>> {
    const position = CURSOR.decodeOptional(page.cursor);
    const after: [string, string] | null = position ? [position[0], position[1]] : null;
    const rows = await this.identities.listForUser(actor.userId, page.limit + 1, after);
    const result = toPage(rows, page.limit, CURSOR, (last) => [last.cursorAt, last.id] as const);
    return { items: result.items.map(({ cursorAt: _, ...identity }) => identity), nextCursor: result.nextCursor };
  }

  /**
   * Unlinks the user's identity of `provider`; refused (409 LAST_SIGN_IN_METHOD) when it is the only
   * way left to sign in: no password, no other identity, no passkey. The user's identities are locked
   * first, so two unlinks at once cannot both pass the rule.
   */
  async unlink(actor: Actor, provider: string, origin: RequestOrigin): Promise<void> {
    await this.uow.run(async () => {
      const all = await this.identities.lockForUser(actor.userId);
      const identity = all.find((i) => i.provider === provider);
      if (!identity) throw new IdentityNotFoundError();
      const user = await this.users.findById(actor.userId);
      const others = all.length - 1;
      if (!user?.passwordHash && others === 0 && !(await this.passkeys.hasPasskey(actor.userId))) throw new LastSignInMethodError();
      await this.identities.delete(identity.id);
      await this.audit.record({ type: 'identity.unlinked', actorId: actor.userId, subjectId: actor.userId, ...origin, data: { provider, subject: identity.subject } });
    });
  }
}
