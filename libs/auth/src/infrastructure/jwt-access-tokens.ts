import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
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

/**
 * Access tokens: ES256 JWTs with `kid`, signed with the current key, verified against the key ring
 * with the algorithm pinned, the header and claim types checked, issuer, expiry (5 s leeway),
 * audience (an active application) and the in-memory revocation list. No database query.
 */
@Injectable()
export class JwtAccessTokens extends AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly catalog: AccessCatalog,
    private readonly revocations: RevocationList,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {
    super();
  }

  issue(input: { userId: string; sessionId: string; clientId: string; roles: string[]; amr: string[]; issuedAt: Date }): { token: string; expiresIn: number } {
    const { kid, privateKey } = this.keys.current;
    // `iat` from the caller's clock reading (jsonwebtoken would read its own), `exp` = `iat` + TTL.
    const iat = Math.floor(input.issuedAt.getTime() / 1000);
    const token = jwt.sign({ sid: input.sessionId, roles: input.roles, amr: input.amr, typ: 'access', iat }, privateKey, {
      algorithm: SIGNING_ALGORITHM,
      keyid: kid,
      subject: input.userId,
      audience: input.clientId,
      issuer: this.config.issuer,
      expiresIn: this.config.accessTokenTtl,
      jwtid: randomUUID(),
      header: { alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYP, kid },
    });
    return { token, expiresIn: this.config.accessTokenTtl };
  }

  /** The key for a token's header, or undefined when the header is not one of ours. */
  keyFor(header: jwt.JwtHeader | undefined): ReturnType<SigningKeys['publicKey']> {
    if (!header || header.alg !== SIGNING_ALGORITHM || header.typ !== ACCESS_TOKEN_TYP || typeof header.kid !== 'string') return undefined;
    return this.keys.publicKey(header.kid);
  }

  verifyOptions(): jwt.VerifyOptions {
    return { algorithms: [SIGNING_ALGORITHM], issuer: this.config.issuer, clockTolerance: CLOCK_TOLERANCE_SECONDS, clockTimestamp: Math.floor(this.clock.nowMs() / 1000) };
  }

  verify(token: string): Actor {
    const decoded = jwt.decode(token, { complete: true });
    const key = this.keyFor(decoded?.header);
    if (!key) throw tokenInvalid();
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, this.verifyOptions()) as jwt.JwtPayload;
    } catch (error) {
      throw error instanceof jwt.TokenExpiredError ? tokenExpired() : tokenInvalid();
    }
    return this.actorFrom(payload);
  }

  /** Checks that go beyond the signature: claim types, audience, revocation. */
  actorFrom(payload: jwt.JwtPayload): Actor {
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
