import type { GithubProviderSettings } from '@app/core';
import { ProviderFlowError } from '../domain/errors';
import type { ProviderInfo, ProviderProfile } from '../domain/model';
import { IdentityProvider } from '../domain/ports';

const TIMEOUT_MS = 10_000;

interface GithubUser {
  id: number;
  login: string;
  name: string | null;
}

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub's OAuth apps (not OpenID Connect): the authorize redirect (with PKCE, which GitHub supports),
 * the code for a token at `tokenUrl`, then `GET /user` (the subject is the numeric id, which never
 * changes, unlike the login) and `GET /user/emails` for the primary address and whether it is verified.
 */
export class GithubIdentityProvider extends IdentityProvider {
  readonly info: ProviderInfo;

  constructor(private readonly settings: GithubProviderSettings) {
    super();
    this.info = { id: settings.id, name: settings.name, type: 'github' };
  }

  async authorizationUrl(input: { redirectUri: string; state: string; nonce: string; codeChallenge: string }): Promise<string> {
    const url = new URL(this.settings.authorizeUrl);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('redirect_uri', input.redirectUri);
    url.searchParams.set('scope', this.settings.scopes.join(' '));
    url.searchParams.set('state', input.state);
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('allow_signup', 'true');
    return url.href;
  }

  private async call<T>(url: string, init: RequestInit, what: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    } catch (error) {
      throw new ProviderFlowError('temporarily_unavailable', `GitHub cannot be reached (${what})`, { cause: error });
    }
    if (response.status >= 500) throw new ProviderFlowError('temporarily_unavailable', `GitHub answered ${response.status} (${what})`);
    if (!response.ok) throw new ProviderFlowError('server_error', `GitHub refused ${what} (${response.status})`);
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new ProviderFlowError('server_error', `GitHub's answer to ${what} is not JSON`, { cause: error });
    }
  }

  async complete(input: { callbackUrl: URL; redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<ProviderProfile> {
    const code = input.callbackUrl.searchParams.get('code');
    if (!code || input.callbackUrl.searchParams.get('state') !== input.state) throw new ProviderFlowError('server_error', 'GitHub returned no code');
    const token = await this.call<{ access_token?: string; token_type?: string; error?: string }>(
      this.settings.tokenUrl,
      {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: this.settings.clientId,
          client_secret: this.settings.clientSecret,
          code,
          redirect_uri: input.redirectUri,
          code_verifier: input.codeVerifier,
        }),
      },
      'the code exchange',
    );
    // GitHub answers 200 with { error } for a bad code.
    if (!token.access_token || (token.token_type && token.token_type.toLowerCase() !== 'bearer')) throw new ProviderFlowError('server_error', `GitHub refused the code${token.error ? ` (${token.error})` : ''}`);
    const headers = { accept: 'application/vnd.github+json', authorization: `Bearer ${token.access_token}`, 'x-github-api-version': '2022-11-28', 'user-agent': 'identity-task-service' };
    const user = await this.call<GithubUser>(`${this.settings.apiUrl}/user`, { headers }, 'the user profile');
    if (typeof user?.id !== 'number' || typeof user.login !== 'string') throw new ProviderFlowError('server_error', 'GitHub sent an unexpected user profile');
    const emails = await this.call<GithubEmail[]>(`${this.settings.apiUrl}/user/emails`, { headers }, 'the email addresses');
    const primary = Array.isArray(emails) ? emails.find((e) => e && e.primary === true && typeof e.email === 'string') : undefined;
    const [givenName, ...rest] = (user.name ?? '').trim().split(/\s+/);
    return {
      subject: String(user.id),
      email: primary ? primary.email.trim().toLowerCase() : null,
      emailVerified: primary?.verified === true,
      username: user.login,
      givenName: givenName || null,
      familyName: rest.length > 0 ? rest.join(' ') : null,
      name: user.name,
    };
  }
}
