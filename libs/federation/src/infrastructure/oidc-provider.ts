import { Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { OidcProviderSettings } from '@app/core';
import { ProviderFlowError, ProviderUnavailableError } from '../domain/errors';
import type { ProviderInfo, ProviderProfile } from '../domain/model';
import { IdentityProvider } from '../domain/ports';

const TIMEOUT_SECONDS = 10;

/** Whether openid-client failed to reach the provider (rather than refusing its answer). */
function unreachable(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  const cause = (error as { cause?: { code?: string; name?: string } })?.cause;
  return /TIMEOUT$|^ECONNREFUSED$/.test(code) || cause?.name === 'TimeoutError' || cause?.name === 'AbortError' || (error instanceof TypeError && /fetch failed/.test(error.message));
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * Any OpenID Connect provider, through `openid-client` (certified): discovery, PKCE, state, nonce and
 * the ID token's issuer, audience, expiry, nonce and signature (`enableNonRepudiationChecks`: the
 * signature is checked even though the token came over TLS). The discovered metadata is reused for
 * PROVIDER_METADATA_TTL and discovered again after a failure; keys (JWKS) are cached with it and
 * fetched again when a token names an unknown key id (at most once a minute).
 */
export class OidcIdentityProvider extends IdentityProvider {
  readonly info: ProviderInfo;
  private readonly logger: Logger;
  private cached?: { config: Promise<oidc.Configuration>; at: number };

  constructor(
    private readonly settings: OidcProviderSettings,
    private readonly metadataTtlMs: number,
  ) {
    super();
    this.info = { id: settings.id, name: settings.name, type: 'oidc' };
    this.logger = new Logger(`OidcProvider:${settings.id}`);
  }

  private configuration(): Promise<oidc.Configuration> {
    if (this.cached && Date.now() - this.cached.at < this.metadataTtlMs) return this.cached.config;
    const insecure = new URL(this.settings.issuer).protocol === 'http:';
    const config = oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        execute: insecure ? [oidc.allowInsecureRequests] : [],
        timeout: TIMEOUT_SECONDS,
      })
      .then((c) => {
        oidc.enableNonRepudiationChecks(c);
        c.timeout = TIMEOUT_SECONDS;
        return c;
      });
    const entry = { config, at: Date.now() };
    this.cached = entry;
    config.catch((error: unknown) => {
      if (this.cached === entry) this.cached = undefined;
      this.logger.warn(`discovery of ${this.settings.issuer} failed: ${String(error)}`);
    });
    return config;
  }

  async authorizationUrl(input: { redirectUri: string; state: string; nonce: string; codeChallenge: string }): Promise<string> {
    let config: oidc.Configuration;
    try {
      config = await this.configuration();
    } catch {
      throw new ProviderUnavailableError(this.info.id);
    }
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: input.redirectUri,
      scope: this.settings.scopes.join(' '),
      state: input.state,
      nonce: input.nonce,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
    }).href;
  }

  async complete(input: { callbackUrl: URL; redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<ProviderProfile> {
    let config: oidc.Configuration;
    try {
      config = await this.configuration();
    } catch (error) {
      throw new ProviderFlowError('temporarily_unavailable', 'The provider cannot be reached', { cause: error });
    }
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(
        config,
        input.callbackUrl,
        { pkceCodeVerifier: input.codeVerifier, expectedState: input.state, expectedNonce: input.nonce, idTokenExpected: true },
        { redirect_uri: input.redirectUri },
      );
    } catch (error) {
      if (unreachable(error)) throw new ProviderFlowError('temporarily_unavailable', 'The provider cannot be reached', { cause: error });
      // A key the cached metadata does not know: discover again next time (the provider may have moved its keys).
      if (/verification key/.test(String((error as Error).message))) this.cached = undefined;
      throw new ProviderFlowError('server_error', "The provider's answer could not be verified", { cause: error });
    }
    const claims = tokens.claims();
    if (!claims) throw new ProviderFlowError('server_error', 'The provider sent no ID token');
    let info: Record<string, unknown> = claims;
    if (text(claims.email) === null && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      try {
        info = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      } catch (error) {
        this.logger.warn(`userinfo failed: ${String(error)}`);
      }
    }
    const email = text(info.email)?.toLowerCase() ?? null;
    return {
      subject: claims.sub,
      email,
      emailVerified: email !== null && (info.email_verified === true || info.email_verified === 'true'),
      username: text(info.preferred_username) ?? text(info.nickname),
      givenName: text(info.given_name),
      familyName: text(info.family_name),
      name: text(info.name),
    };
  }
}
