import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import * as jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Actor } from '@app/access';
import { JwtAccessTokens } from './jwt-access-tokens';

/**
 * passport-jwt verifies the signature with the key chosen by `kid` (already a `KeyObject`), the
 * pinned algorithm, issuer and expiry; `validate` adds type, audience and revocation checks.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly tokens: JwtAccessTokens) {
    const options = tokens.verifyOptions();
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_req: unknown, rawToken: string, done: (err: Error | null, key?: string | Buffer) => void) => {
        const decoded = jwt.decode(rawToken, { complete: true });
        const key = tokens.keyFor(decoded?.header);
        if (!key) return done(new jwt.JsonWebTokenError('unknown key or header'));
        // passport-jwt's types say string | Buffer; jsonwebtoken accepts the KeyObject it is given.
        done(null, key as unknown as Buffer);
      },
      algorithms: options.algorithms,
      issuer: options.issuer as string,
      jsonWebTokenOptions: { clockTolerance: options.clockTolerance },
      ignoreExpiration: false,
    });
  }

  validate(payload: jwt.JwtPayload): Actor {
    return this.tokens.actorFrom(payload);
  }
}
