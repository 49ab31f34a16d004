import { Injectable, Optional } from '@nestjs/common';
import { AccessCatalog } from '@app/access';
import { SessionIssuer, TokenPair } from '@app/auth';
import type { RequestMeta } from '@app/kernel';
import { UserRepository } from '@app/users';
import { AuthorizationCodeInvalidError, MfaRequiredError } from '../domain/errors';
import { AuthorizationCodeRedeemer, AuthorizationCodeRequest, SecondFactorGate } from '../domain/ports';

/** RFC 8176 has no value for "signed in through a federated provider"; `fed` is what Microsoft uses. */
export const PROVIDER_AMR = 'fed';

/**
 * `/auth/token` with `grant_type=authorization_code`: the federation lib redeems the code (client,
 * redirect URI, expiry and PKCE verifier checked; spent whatever the outcome), then the session
 * starts exactly like a password login's: the application's audience and roles, `login.succeeded`
 * audited, and MFA_REQUIRED for a user with two-factor on.
 */
@Injectable()
export class ProviderCodeSignIn {
  constructor(
    private readonly catalog: AccessCatalog,
    private readonly users: UserRepository,
    private readonly issuer: SessionIssuer,
    private readonly gate: SecondFactorGate,
    @Optional() private readonly redeemer?: AuthorizationCodeRedeemer,
  ) {}

  /** Whether external providers are wired in (the grant is offered at all). */
  get available(): boolean {
    return this.redeemer !== undefined;
  }

  async execute(meta: RequestMeta, request: AuthorizationCodeRequest): Promise<TokenPair> {
    const redeemed = this.redeemer ? await this.redeemer.redeem(request) : null;
    if (!redeemed) throw new AuthorizationCodeInvalidError();
    const app = this.catalog.application(redeemed.clientId);
    const user = await this.users.findById(redeemed.userId);
    if (!app || !app.active || !user || user.status === 'disabled') throw new AuthorizationCodeInvalidError();
    const challenge = user.mfaEnabled ? await this.gate.challenge(user, app, [PROVIDER_AMR]) : null;
    if (challenge) throw new MfaRequiredError(challenge.mfaToken, challenge.methods);
    const { pair } = await this.issuer.start(user, app, meta, { type: 'login.succeeded', data: { clientId: app.clientId, method: 'provider', provider: redeemed.provider } }, [PROVIDER_AMR]);
    return pair;
  }
}
