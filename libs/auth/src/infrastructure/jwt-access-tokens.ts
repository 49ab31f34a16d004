import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { JwtHeader, JwtPayload, SigningKeyCallback, VerifyOptions } from 'jsonwebtoken';
import { TokenExpiredError } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { AccessCatalog } from '@app/access';
import { Actor } from '@app/kernel';
import { authConfig, AuthSettings, Clock } from '@app/core';
import { tokenExpired, tokenInvalid, tokenRevoked } from '../domain/errors';
import { AccessClaims, AccessTokens } from '../domain/ports';
import { RevocationList } from './revocation-list';
import { SIGNING_ALGORITHM, SigningKeys } from './signing-keys';

/** JOSE header `typ` of our access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYP = 'at+jwt';
export const CLOCK_TOLERANCE_SECONDS = 5;

/** How jsonwebtoken asks for a key while it verifies: with the header it has decoded (once). */
export type KeyResolver = (header: JwtHeader, callback: SigningKeyCallback) => void;

/**
 * Access tokens: ES256 JWTs with `kid`, signed through `JwtService` with the current key, verified
 * against the key ring with the algorithm pinned, the header and claim types checked, issuer, expiry
 * (at the clock's time, 5 s leeway), audience (an active application) and the in-memory revocation
 * list. No database query.
 *
 * Verification decodes the token once: jsonwebtoken hands the decoded header to `keyResolver`, which
 * answers the KeyObject of its `kid` (the passport-jwt strategy's secretOrKeyProvider hands the same
 * resolver). Expiry is checked in `actorFrom` against the clock port, not jsonwebtoken's own clock.
 */
@Injectable()
export class JwtAccessTokens extends AccessTokens {
  /** Options every verification uses (the guard's strategy and `verify`). */
  readonly verifyOptions: VerifyOptions;
  readonly keyResolver: KeyResolver;

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeys,
    private readonly catalog: AccessCatalog,
    private readonly revocations: RevocationList,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {
    super();
    this.verifyOptions = { algorithms: [SIGNING_ALGORITHM], issuer: config.issuer, ignoreExpiration: true };
    this.keyResolver = (header, callback) => {
      const key = this.keyFor(header);
      if (key) callback(null, key);
      else callback(new Error('not one of our access tokens'));
    };
  }

  issue(input: { userId: string; sessionId: string; clientId: string; roles: string[]; amr: string[]; issuedAt: Date }): { token: string; expiresIn: number } {
    const { kid, privateKey } = this.keys.current;
    // `iat` from the caller's clock reading (jsonwebtoken would read its own), `exp` = `iat` + TTL.
    const iat = Math.floor(input.issuedAt.getTime() / 1000);
    const token = this.jwt.sign(
      { sid: input.sessionId, roles: input.roles, amr: input.amr, typ: 'access', iat },
      {
        privateKey,
        algorithm: SIGNING_ALGORITHM,
        keyid: kid,
        subject: input.userId,
        audience: input.clientId,
        issuer: this.config.issuer,
        expiresIn: this.config.accessTokenTtl,
        jwtid: randomUUID(),
        header: { alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYP, kid },
      },
    );
    return { token, expiresIn: this.config.accessTokenTtl };
  }

  /** The key for a token's header, or undefined when the header is not one of ours. */
  keyFor(header: JwtHeader | undefined): ReturnType<SigningKeys['publicKey']> {
    if (!header || header.alg !== SIGNING_ALGORITHM || header.typ !== ACCESS_TOKEN_TYP || typeof header.kid !== 'string') return undefined;
    return this.keys.publicKey(header.kid);
  }

  /** For callers outside the HTTP guard (the WebSocket handshake, introspection). */
  async verify(token: string): Promise<Actor> {
    let payload: JwtPayload;
    try {
      // The resolver is a function: jsonwebtoken calls it with the header it decoded.
      payload = await this.jwt.verifyAsync<JwtPayload>(token, { ...this.verifyOptions, publicKey: this.keyResolver as never });
    } catch (error) {
      throw error instanceof TokenExpiredError ? tokenExpired() : tokenInvalid();
    }
    return this.actorFrom(payload);
  }

  /** Checks that go beyond the signature: claim types, expiry at the clock's time, audience, revocation. */
  actorFrom(payload: JwtPayload): Actor {
    const claims = payload as Partial<AccessClaims>;
    if (
      claims.typ !== 'access' ||
      typeof claims.sub !== 'string' ||
      typeof claims.sid !== 'string' ||
      typeof claims.aud !== 'string' ||
      typeof claims.jti !== 'string' ||
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number' ||
      !Array.isArray(claims.roles)
    ) {
      throw tokenInvalid();
    }
    if (Math.floor(this.clock.nowMs() / 1000) >= claims.exp + CLOCK_TOLERANCE_SECONDS) throw tokenExpired();
    const app = this.catalog.application(claims.aud);
    if (!app || !app.active) throw tokenInvalid();
    if (this.revocations.isRevoked(claims.sid, claims.sub, claims.iat)) throw tokenRevoked();
    const roles = claims.roles.filter((r): r is string => typeof r === 'string');
    return {
      userId: claims.sub,
      sessionId: claims.sid,
      clientId: claims.aud,
      roles,
      permissions: this.catalog.permissionsOf(roles, claims.aud),
      tokenId: claims.jti,
      issuedAt: claims.iat,
      expiresAt: claims.exp,
      amr: Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [],
    };
  }
}
