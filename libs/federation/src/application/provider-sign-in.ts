import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessCatalog, ApplicationView } from '@app/access';
import type { Actor } from '@app/kernel';
import { AuditLog } from '@app/audit';
import { Clock, httpConfig, HttpSettings, providersConfig, ProvidersSettings } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { UserRepository } from '@app/users';
import { PkceRequiredError, ProviderFlowError, ProviderNotFoundError, ProviderStateInvalidError, RedirectUriInvalidError } from '../domain/errors';
import type { PendingFlow, ProviderInfo } from '../domain/model';
import { CodeStore, FlowStore, IdentityProvider, IdentityProviders, IdentityRepository } from '../domain/ports';
import { AccountResolution } from './account-resolution';
import { PKCE_PATTERN, randomToken, s256, sha256 } from './secrets';

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface AuthorizeInput {
  clientId?: string;
  redirectUri?: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

/** Where the browser goes after the callback: always the application's registered redirect URI. */
export interface CallbackOutcome {
  redirectTo: string;
}

export const callbackPath = (providerId: string) => `/api/v1/auth/providers/${encodeURIComponent(providerId)}/callback`;

/** `uri` with `params` added to its query (the application's own query parameters kept). */
export function withQuery(uri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * Sign-in (and linking) through an external provider: authorize → provider → callback → the
 * application's redirect URI with a one-time code. Flows and codes live server-side, single use,
 * short-lived; only their hashes are stored.
 */
@Injectable()
export class ProviderSignIn {
  private readonly logger = new Logger('ProviderSignIn');

  constructor(
    private readonly providers: IdentityProviders,
    private readonly catalog: AccessCatalog,
    private readonly flows: FlowStore,
    private readonly codes: CodeStore,
    private readonly identities: IdentityRepository,
    private readonly users: UserRepository,
    private readonly resolution: AccountResolution,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
    @Inject(providersConfig.KEY) private readonly config: ProvidersSettings,
  ) {}

  list(): ProviderInfo[] {
    return this.providers.list();
  }

  provider(id: string): IdentityProvider {
    const provider = this.providers.get(id);
    if (!provider) throw new ProviderNotFoundError();
    return provider;
  }

  /** The application, when active and `redirectUri` is one of its registered URIs (exact match). */
  private application(clientId: string | undefined, redirectUri: string | undefined): ApplicationView {
    const app = clientId ? this.catalog.application(clientId) : undefined;
    if (!app || !app.active || !redirectUri || !app.redirectUris.includes(redirectUri)) throw new RedirectUriInvalidError();
    return app;
  }

  /** Checks the application, its redirect URI and its PKCE challenge; stores the flow; the provider's URL. */
  async authorize(providerId: string, input: AuthorizeInput): Promise<string> {
    const provider = this.provider(providerId);
    const app = this.application(input.clientId, input.redirectUri);
    if (!input.codeChallenge || !PKCE_PATTERN.test(input.codeChallenge) || input.codeChallengeMethod !== 'S256') throw new PkceRequiredError();
    return this.start(provider, {
      purpose: 'sign_in',
      clientId: app.clientId,
      redirectUri: input.redirectUri!,
      appState: input.state ?? null,
      codeChallenge: input.codeChallenge,
      userId: null,
    });
  }

  /** Linking while signed in: the redirect URI must be registered for the token's application. */
  async startLink(actor: Actor, providerId: string, redirectUri: string): Promise<string> {
    const provider = this.provider(providerId);
    const app = this.application(actor.clientId, redirectUri);
    return this.start(provider, { purpose: 'link', clientId: app.clientId, redirectUri, appState: null, codeChallenge: null, userId: actor.userId });
  }

  private async start(provider: IdentityProvider, flow: Omit<PendingFlow, 'provider' | 'nonce' | 'codeVerifier' | 'expiresAt'>): Promise<string> {
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = randomToken();
    const url = await provider.authorizationUrl({ redirectUri: this.callbackUrl(provider.info.id), state, nonce, codeChallenge: s256(codeVerifier) });
    const expiresAt = new Date(this.clock.nowMs() + this.config.flowTtlSeconds * 1000);
    await this.flows.save(sha256(state), { ...flow, provider: provider.info.id, nonce, codeVerifier, expiresAt });
    return url;
  }

  callbackUrl(providerId: string): string {
    return `${this.http.publicBaseUrl}${callbackPath(providerId)}`;
  }

  /**
   * The provider's callback. An unknown, expired or used `state` is refused without a redirect
   * (`PROVIDER_STATE_INVALID`); anything else ends at the application's redirect URI: with a
   * one-time `code` (sign-in), `linked=<provider>` (link), or an `error`.
   */
  async callback(providerId: string, query: Record<string, string>, origin: RequestOrigin): Promise<CallbackOutcome> {
    const provider = this.provider(providerId);
    const state = query.state;
    if (!state || state.length > 512) throw new ProviderStateInvalidError();
    const flow = await this.flows.consume(sha256(state), provider.info.id, this.clock.now());
    if (!flow) throw new ProviderStateInvalidError();
    const back = (params: Record<string, string | null>) => ({ redirectTo: withQuery(flow.redirectUri, flow.purpose === 'sign_in' ? { ...params, state: flow.appState } : params) });
    const failed = (error: ProviderFlowError) => back({ error: error.error, error_description: error.description });

    if (query.error) {
      const error = query.error === 'access_denied' ? 'access_denied' : query.error === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error';
      return back({ error, error_description: error === 'access_denied' ? 'The sign-in was cancelled at the provider' : 'The provider could not complete the sign-in' });
    }
    try {
      const callbackUrl = new URL(this.callbackUrl(provider.info.id));
      for (const [key, value] of Object.entries(query)) callbackUrl.searchParams.set(key, value);
      const profile = await provider.complete({ callbackUrl, redirectUri: this.callbackUrl(provider.info.id), state, nonce: flow.nonce, codeVerifier: flow.codeVerifier });
      if (flow.purpose === 'link') {
        await this.link(flow.userId!, provider.info.id, profile, origin);
        return back({ linked: provider.info.id });
      }
      const ctx = { provider: provider.info.id, clientId: flow.clientId, ...origin };
      const { user, created, linked } = await this.resolution.resolve(profile, ctx);
      if (user.status === 'disabled') throw new ProviderFlowError('access_denied', 'This account is disabled');
      const code = randomToken();
      await this.uow.run(async () => {
        await this.codes.save(sha256(code), {
          userId: user.id,
          provider: provider.info.id,
          clientId: flow.clientId,
          redirectUri: flow.redirectUri,
          codeChallenge: flow.codeChallenge!,
          expiresAt: new Date(this.clock.nowMs() + this.config.codeTtlSeconds * 1000),
        });
        await this.audit.record({ type: 'provider.signed_in', actorId: user.id, subjectId: user.id, ...origin, data: { provider: provider.info.id, clientId: flow.clientId, created, linked } });
      });
      return back({ code });
    } catch (error) {
      if (error instanceof ProviderFlowError) {
        if (error.error === 'server_error' || error.error === 'temporarily_unavailable') this.logger.warn(`provider ${provider.info.id}: ${error.description}${error.cause ? ` (${String(error.cause)})` : ''}`);
        return failed(error);
      }
      throw error;
    }
  }

  private async link(userId: string, provider: string, profile: { subject: string; email: string | null; emailVerified: boolean }, origin: RequestOrigin): Promise<void> {
    await this.uow.run(async () => {
      const user = await this.users.findById(userId);
      if (!user || user.status === 'disabled') throw new ProviderFlowError('access_denied', 'The account is no longer available');
      const existing = await this.identities.findBySubject(provider, profile.subject);
      if (existing && existing.userId !== userId) throw new ProviderFlowError('identity_in_use', 'This provider account is already linked to another account');
      if (existing) return;
      const mine = (await this.identities.lockForUser(userId)).find((i) => i.provider === provider);
      if (mine) throw new ProviderFlowError('provider_already_linked', 'Another account of this provider is linked already; unlink it first');
      const identity = await this.identities.create({ userId, provider, subject: profile.subject, email: profile.email, emailVerified: profile.emailVerified });
      if (!identity) throw new ProviderFlowError('identity_in_use', 'This provider account is already linked to another account');
      await this.audit.record({ type: 'identity.linked', actorId: userId, subjectId: userId, ...origin, data: { provider, by: 'user' } });
      await this.resolution.linkedNotice(user, provider);
    });
  }
}
