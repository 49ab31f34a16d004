import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { JwtPayload } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { Actor } from '@app/kernel';
import { JwtAccessTokens } from './jwt-access-tokens';

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([^\s]+) *$/i;

/** The token of `Authorization: Bearer …`; null (no token: UNAUTHENTICATED) for anything else. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  return match ? match[1] : null;
}

/**
 * passport-jwt with our keys: the secretOrKeyProvider hands jsonwebtoken a resolver that answers the
 * KeyObject for the `kid` of the header jsonwebtoken has decoded — one decode, one verification.
 * `validate` maps the claims to the actor (claim types, expiry at the clock's time, audience,
 * revocation — all in memory, no database query).
 *
 * Passport keeps strategies in one process-wide registry, by name; several apps in one process (the
 * multi-instance tests) each have their own keys, catalogue and revocation list, so each registers its
 * strategy under a name of its own, which its guard authenticates with.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) implements OnModuleDestroy {
  readonly strategyName = `jwt:${randomUUID()}`;

  constructor(private readonly tokens: JwtAccessTokens) {
    super({
      jwtFromRequest: bearerToken as (request: unknown) => string | null,
      // jsonwebtoken takes a key or a function of the decoded header; the typings know only the former.
      secretOrKeyProvider: (_request: unknown, _token: string, done: (error: unknown, key?: string) => void) => done(null, tokens.keyResolver as unknown as string),
      jsonWebTokenOptions: tokens.verifyOptions,
      ignoreExpiration: true,
      algorithms: tokens.verifyOptions.algorithms,
      issuer: tokens.verifyOptions.issuer as string,
    });
    passport.use(this.strategyName, this);
  }

  onModuleDestroy(): void {
    passport.unuse(this.strategyName);
  }

  validate(payload: JwtPayload): Actor {
    return this.tokens.actorFrom(payload);
  }
}
