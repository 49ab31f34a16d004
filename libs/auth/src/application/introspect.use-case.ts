import { Injectable } from '@nestjs/common';
import { AccessReach } from '@app/access';
import { Actor, can } from '@app/kernel';
import { Clock, ForbiddenError } from '@app/core';
import { AccessTokens, SessionRepository } from '../domain/ports';
import { hashToken, looksLikeRefreshToken } from '../domain/refresh-token-crypto';

export type Introspection =
  | { active: false }
  | { active: true; sub: string; sid: string; aud: string; roles?: string[]; amr: string[]; exp: number; iat: number; typ: 'access' | 'refresh' };

/**
 * RFC 7662 introspection of an access or refresh token. Holders of `tokens:introspect` may ask about
 * any token (held through an application's roles: that application's tokens); anyone else only about their own (another user's live token answers 403; an invalid one
 * simply `{ active: false }`, which reveals nothing).
 */
@Injectable()
export class IntrospectUseCase {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly reach: AccessReach,
  ) {}

  async execute(actor: Actor, token: string): Promise<Introspection> {
    const result = await this.inspect(token);
    if (result.active && result.sub !== actor.userId && !can(actor, 'tokens:introspect')) {
      throw new ForbiddenError('FORBIDDEN', 'Introspecting other users’ tokens needs the permission tokens:introspect');
    }
    // Held through an application's roles, `tokens:introspect` reaches that application's tokens only.
    if (result.active && result.sub !== actor.userId) this.reach.assertApplicationInReach(actor, 'tokens:introspect', result.aud);
    return result;
  }

  private async inspect(token: string): Promise<Introspection> {
    if (token.split('.').length === 3) {
      try {
        const a = await this.tokens.verify(token);
        return { active: true, sub: a.userId, sid: a.sessionId, aud: a.clientId, roles: [...a.roles], amr: [...(a.amr ?? [])], exp: a.expiresAt, iat: a.issuedAt, typ: 'access' };
      } catch {
        return { active: false };
      }
    }
    if (!looksLikeRefreshToken(token)) return { active: false };
    const stored = await this.sessions.findRefreshToken(hashToken(token));
    if (!stored || stored.rotatedAt || stored.revokedAt || stored.expiresAt <= this.clock.now()) return { active: false };
    const session = await this.sessions.findById(stored.sessionId);
    if (!session || session.revokedAt || session.expiresAt <= this.clock.now()) return { active: false };
    return {
      active: true,
      sub: session.userId,
      sid: session.id,
      aud: session.clientId,
      amr: session.amr,
      exp: Math.floor(stored.expiresAt.getTime() / 1000),
      iat: Math.floor(session.createdAt.getTime() / 1000),
      typ: 'refresh',
    };
  }
}
