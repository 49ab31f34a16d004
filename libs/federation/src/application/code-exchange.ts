import { Injectable } from '@nestjs/common';
import { AccessCatalog } from '@app/access';
import { SessionIssuer, TokenPair } from '@app/auth';
import { AuthorizationCodeGrant, AuthorizationCodeRequest, MfaRequiredError, SecondFactorGate } from '@app/credentials';
import type { RequestMeta } from '@app/kernel';
import { Clock } from '@app/core';
import { UserRepository } from '@app/users';
import { AuthorizationCodeInvalidError } from '../domain/errors';
import { CodeStore } from '../domain/ports';
import { s256, sameText, sha256 } from './secrets';

/** RFC 8176 has no value for "signed in through a federated provider"; `fed` is what Microsoft uses. */
export const PROVIDER_AMR = 'fed';

/**
 * `/auth/token` with `grant_type=authorization_code`: the code is spent by the first attempt whatever
 * its outcome (a wrong verifier cannot be retried), then client, redirect URI, expiry and the PKCE
 * verifier must all match. The session starts exactly like a password login's: the application's
 * audience and roles, `login.succeeded` audited, and MFA_REQUIRED for a user with two-factor on.
 */
@Injectable()
export class CodeExchange extends AuthorizationCodeGrant {
  constructor(
    private readonly codes: CodeStore,
    private readonly catalog: AccessCatalog,
    private readonly users: UserRepository,
    private readonly issuer: SessionIssuer,
    private readonly gate: SecondFactorGate,
    private readonly clock: Clock,
  ) {
    super();
  }

  async exchange(meta: RequestMeta, request: AuthorizationCodeRequest): Promise<TokenPair> {
    const now = this.clock.now();
    const code = await this.codes.consume(sha256(request.code), now);
    const valid =
      code !== null &&
      code.expiresAt > now &&
      code.clientId === request.clientId &&
      code.redirectUri === request.redirectUri &&
      sameText(code.codeChallenge, s256(request.codeVerifier));
    if (!valid) throw new AuthorizationCodeInvalidError();
    const app = this.catalog.application(code.clientId);
    const user = await this.users.findById(code.userId);
    if (!app || !app.active || !user || user.status === 'disabled') throw new AuthorizationCodeInvalidError();
    const challenge = user.mfaEnabled ? await this.gate.challenge(user, app, [PROVIDER_AMR]) : null;
    if (challenge) throw new MfaRequiredError(challenge.mfaToken, challenge.methods);
    const { pair } = await this.issuer.start(user, app, meta, { type: 'login.succeeded', data: { clientId: app.clientId, method: 'provider', provider: code.provider } }, [PROVIDER_AMR]);
    return pair;
  }
}
