import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { JwtPayload } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { Actor } from '@app/kernel';
import { JwtAccessTokens } from './jwt-access-tokens';

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([^\s]+) *$/i;

export const JWT_STRATEGY = 'jwt';

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
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
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
  }

  validate(payload: JwtPayload): Actor {
    return this.tokens.actorFrom(payload);
  }
}
