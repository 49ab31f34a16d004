import { Injectable } from '@nestjs/common';
import { AuthorizationCodeRedeemer, AuthorizationCodeRequest, RedeemedCode } from '@app/credentials';
import { Clock } from '@app/core';
import { CodeStore } from '../domain/ports';
import { s256, sameText, sha256 } from './secrets';

/**
 * The credentials lib's `authorization_code` grant asks here whose sign-in a code finishes. The code
 * is spent by the first attempt whatever its outcome (a wrong verifier cannot be retried), then
 * client, redirect URI, expiry and the PKCE verifier must all match.
 */
@Injectable()
export class FederatedCodeRedeemer extends AuthorizationCodeRedeemer {
  constructor(
    private readonly codes: CodeStore,
    private readonly clock: Clock,
  ) {
    super();
  }

  async redeem(request: AuthorizationCodeRequest): Promise<RedeemedCode | null> {
    const now = this.clock.now();
    const code = await this.codes.consume(sha256(request.code), now);
    const valid =
      code !== null &&
      code.expiresAt > now &&
      code.clientId === request.clientId &&
      code.redirectUri === request.redirectUri &&
      sameText(code.codeChallenge, s256(request.codeVerifier));
    return valid ? { userId: code.userId, clientId: code.clientId, provider: code.provider } : null;
  }
}
