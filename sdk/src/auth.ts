import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../schema.js';
import { type ApiClient, createApiClient, type Schemas } from './client.js';
import { ApiProblemError, ApiResponseError, isProblem, type OperationProblem, type Problem } from './errors.js';
import { type AccessTokenClaims, decodeAccessToken } from './jwt.js';
import { memoryStorage, type TokenStorage } from './storage.js';

/** The header that asks for cookie mode, and is the CSRF guard of refresh and logout with the cookie. */
export const REFRESH_DELIVERY_HEADER = 'X-Refresh-Token-Delivery';

/**
 * How the refresh token travels. `body` (default): in the JSON answers, kept in `storage` — for
 * mobile apps, servers, scripts. `cookie`: in an HttpOnly cookie the page cannot read, sent with
 * `credentials: 'include'` to refresh and logout only — for browsers (docs/sdk.md, "Cookie mode").
 */
export type SessionMode = 'body' | 'cookie';

export interface Session {
  accessToken: string;
  /** Absent in cookie mode: the refresh token is the HttpOnly cookie. */
  refreshToken?: string;
  tokenType: 'Bearer';
  /** When the access token expires (ms since the epoch, by this client's clock when it was received). */
  expiresAt: number;
  /** When the refresh token expires (ms since the epoch). */
  refreshExpiresAt: number;
  /** The access token's claims (user id `sub`, session `sid`, application `aud`, `roles`, `amr`), not verified. */
  claims: AccessTokenClaims | null;
}

export type AuthChangeEvent = 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT';
export type AuthStateListener = (event: AuthChangeEvent, session: Session | null) => void;

export type MfaMethod = Schemas['MfaVerifyDto']['method'];

/** The first factor was right and the user has two-factor authentication on: finish with verify(). */
export interface MfaChallenge {
  mfaToken: string;
  /** What this user can use: `totp`, `recovery_code`, `webauthn` … */
  methods: string[];
  /** POST /auth/mfa/verify with this challenge's mfaToken; resolves with the session (and emits SIGNED_IN). */
  verify(method: MfaMethod, code: string): Promise<Session>;
}

/** A sign-in either starts the session or stops for a second factor. */
export type SignInResult = { session: Session; mfa?: undefined } | { session?: undefined; mfa: MfaChallenge };

export type LoginProblem = OperationProblem<'/api/v1/auth/login', 'post'>;
export type OtpVerifyProblem = OperationProblem<'/api/v1/auth/otp/verify', 'post'>;
export type MfaVerifyProblem = OperationProblem<'/api/v1/auth/mfa/verify', 'post'>;
export type RefreshProblem = OperationProblem<'/api/v1/auth/refresh', 'post'>;

export interface IdentityClientOptions {
  /** Where the service is, e.g. `https://id.example.com` (no `/api/v1`). */
  baseUrl: string;
  /** `body` (default) or `cookie` (browsers). */
  sessionMode?: SessionMode;
  /**
   * Where the session is kept: memoryStorage() (default), localStorageStorage(), or any TokenStorage
   * (getItem/setItem/removeItem, sync or async). In cookie mode only the access token is stored.
   */
  storage?: TokenStorage;
  storageKey?: string;
  /** The application signing in (token audience and roles); default: the service's default application. */
  clientId?: string;
  /** Refresh this long before the access token expires (at most half its lifetime). Default 30 s. */
  refreshMarginSeconds?: number;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** The clock (ms since the epoch); for tests. */
  now?: () => number;
}

interface TokenPairBody {
  accessToken: string;
  refreshToken?: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}

type Result = { data?: unknown; error?: unknown; response: Response };

const MFA_REQUIRED = 'MFA_REQUIRED';

/**
 * The session side of the SDK: sign-in (password, one-time code, the second factor), sign-out, refresh with one request in flight for all callers, and auth-state
 * events. `api` (on IdentityClient) uses it for every call.
 */
export class AuthClient {
  private session: Session | null = null;
  private readonly listeners = new Set<AuthStateListener>();
  private refreshing: Promise<Session> | null = null;
  private readonly ready: Promise<void>;
  private readonly raw: ApiClient;
  private readonly storage: TokenStorage;
  private readonly storageKey: string;
  private readonly now: () => number;
  readonly mode: SessionMode;

  constructor(private readonly options: IdentityClientOptions) {
    this.mode = options.sessionMode ?? 'body';
    this.storage = options.storage ?? memoryStorage();
    this.storageKey = options.storageKey ?? 'identity-task.session';
    this.now = options.now ?? Date.now;
    const cookieMode: Record<string, string> = this.mode === 'cookie' ? { [REFRESH_DELIVERY_HEADER]: 'cookie' } : {};
    // Sign-in, refresh and logout: cookie mode sends and receives the cookie (credentials: 'include').
    this.raw = createClient<paths>({
      baseUrl: options.baseUrl,
      headers: { ...options.headers, ...cookieMode },
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(this.mode === 'cookie' ? { credentials: 'include' as const } : {}),
    });
    this.ready = this.load();
  }

  /** Subscribes to SIGNED_IN, TOKEN_REFRESHED and SIGNED_OUT; returns the unsubscribe function. */
  onAuthStateChange(listener: AuthStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current session (null when signed out). Resolves once the stored session is loaded. */
  async getSession(): Promise<Session | null> {
    await this.ready;
    return this.session;
  }

  /**
   * A valid access token, refreshed first when it expires within the margin; null when signed out.
   * Concurrent callers share one refresh.
   */
  async getAccessToken(): Promise<string | null> {
    await this.ready;
    const session = this.session;
    if (!session) return null;
    if (!this.expiring(session)) return session.accessToken;
    try {
      return (await this.refreshSession()).accessToken;
    } catch (error) {
      // Signed out by the refusal: no token. A network failure keeps the old token (the call decides).
      if (!this.session) return null;
      if (session.expiresAt > this.now()) return session.accessToken;
      throw error;
    }
  }

  /**
   * Starts from what the browser still has after a reload: the stored session, or in cookie mode (with
   * nothing stored) a refresh through the cookie. Null when there is no session.
   */
  async restore(): Promise<Session | null> {
    await this.ready;
    if (this.session) return this.session;
    if (this.mode !== 'cookie') return null;
    try {
      return await this.refreshSession();
    } catch (error) {
      if (error instanceof ApiProblemError) return null;
      throw error;
    }
  }

  /** POST /auth/login. Throws ApiProblemError<LoginProblem> (INVALID_CREDENTIALS, LOGIN_LOCKED …). */
  async signInWithPassword(input: { login: string; password: string; clientId?: string }): Promise<SignInResult> {
    const clientId = input.clientId ?? this.options.clientId;
    const result = await this.raw.POST('/api/v1/auth/login', { body: { login: input.login, password: input.password, ...(clientId ? { clientId } : {}) } });
    return this.signInResult(result, clientId);
  }

  /** POST /auth/otp/request with purpose `login`: sends the code (the answer is the same whether or not an account exists). */
  async requestOtp(input: { channel: 'sms' | 'email'; destination: string }): Promise<Schemas['OtpRequestedDto']> {
    const result = await this.raw.POST('/api/v1/auth/otp/request', { body: { ...input, purpose: 'login' } });
    return this.expectData(result) as Schemas['OtpRequestedDto'];
  }

  /** POST /auth/otp/verify with purpose `login`. Throws ApiProblemError<OtpVerifyProblem> (OTP_INVALID with attemptsLeft …). */
  async signInWithOtp(input: { channel: 'sms' | 'email'; destination: string; code: string; clientId?: string }): Promise<SignInResult> {
    const clientId = input.clientId ?? this.options.clientId;
    const result = await this.raw.POST('/api/v1/auth/otp/verify', {
      body: { channel: input.channel, destination: input.destination, code: input.code, purpose: 'login', ...(clientId ? { clientId } : {}) },
    });
    return this.signInResult(result, clientId);
  }

  /** POST /auth/mfa/verify: the second step after MFA_REQUIRED. Throws ApiProblemError<MfaVerifyProblem> (MFA_CODE_INVALID …). */
  async verifyMfa(input: { mfaToken: string; method: MfaMethod; code: string; clientId?: string }): Promise<Session> {
    const clientId = input.clientId ?? this.options.clientId;
    const result = await this.raw.POST('/api/v1/auth/mfa/verify', { body: { mfaToken: input.mfaToken, method: input.method, code: input.code, ...(clientId ? { clientId } : {}) } });
    return this.started(this.expectData(result) as TokenPairBody, 'SIGNED_IN');
  }

  /**
   * A new access token (and refresh token): one request in flight, shared by every caller. Emits
   * TOKEN_REFRESHED; a refusal (expired, revoked, reused) ends the session locally and emits SIGNED_OUT.
   */
  refreshSession(): Promise<Session> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Ends the session at the service (POST /auth/logout: with the access token, else the refresh token
   * or cookie) and locally, emitting SIGNED_OUT. The local session ends even when the service cannot be reached.
   */
  async signOut(): Promise<void> {
    await this.ready;
    const session = this.session;
    try {
      if (session && session.expiresAt > this.now()) {
        await this.raw.POST('/api/v1/auth/logout', { headers: { authorization: `Bearer ${session.accessToken}` } });
      } else if (this.mode === 'cookie') {
        await this.raw.POST('/api/v1/auth/logout', { body: {} });
      } else if (session?.refreshToken) {
        await this.raw.POST('/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } });
      }
    } finally {
      await this.end();
    }
  }

  private async doRefresh(): Promise<Session> {
    await this.ready;
    const session = this.session;
    if (this.mode === 'body' && !session?.refreshToken) throw new Error('not signed in: there is no refresh token');
    const result = await this.raw.POST('/api/v1/auth/refresh', { body: this.mode === 'cookie' ? {} : { refreshToken: session!.refreshToken } });
    if (!result.response.ok) {
      // The refresh token no longer works: the session is over (whatever the reason, signing in again is the way on).
      if (result.response.status === 401 || (result.response.status === 400 && this.mode === 'body')) await this.end();
      throw this.failure(result);
    }
    return this.started(result.data as TokenPairBody, 'TOKEN_REFRESHED');
  }

  private expiring(session: Session): boolean {
    const lifetime = Math.max(0, session.expiresAt - (session.claims?.iat ? session.claims.iat * 1000 : session.expiresAt));
    const margin = Math.min((this.options.refreshMarginSeconds ?? 30) * 1000, lifetime > 0 ? lifetime / 2 : Infinity);
    return session.expiresAt - this.now() <= margin;
  }

  private async signInResult(result: Result, clientId: string | undefined): Promise<SignInResult> {
    if (result.response.ok) return { session: await this.started(result.data as TokenPairBody, 'SIGNED_IN') };
    if (result.response.status === 403 && isProblem(result.error) && result.error.code === MFA_REQUIRED && result.error.mfaToken) {
      return { mfa: this.challenge(result.error.mfaToken, result.error.methods ?? [], clientId) };
    }
    throw this.failure(result);
  }

  private challenge(mfaToken: string, methods: string[], clientId: string | undefined): MfaChallenge {
    return { mfaToken, methods, verify: (method, code) => this.verifyMfa({ mfaToken, method, code, clientId }) };
  }

  private expectData(result: Result): unknown {
    if (result.response.ok) return result.data;
    throw this.failure(result);
  }

  private failure(result: Result): Error {
    if (isProblem(result.error)) return new ApiProblemError(result.error as Problem, result.response);
    return new ApiResponseError(result.response, result.error);
  }

  private async started(pair: TokenPairBody, event: 'SIGNED_IN' | 'TOKEN_REFRESHED'): Promise<Session> {
    const now = this.now();
    const session: Session = {
      accessToken: pair.accessToken,
      ...(pair.refreshToken ? { refreshToken: pair.refreshToken } : {}),
      tokenType: 'Bearer',
      expiresAt: now + pair.expiresIn * 1000,
      refreshExpiresAt: now + pair.refreshExpiresIn * 1000,
      claims: decodeAccessToken(pair.accessToken),
    };
    this.session = session;
    await this.storage.setItem(this.storageKey, JSON.stringify(session));
    this.emit(event, session);
    return session;
  }

  private async end(): Promise<void> {
    const had = this.session !== null;
    this.session = null;
    await this.storage.removeItem(this.storageKey);
    if (had) this.emit('SIGNED_OUT', null);
  }

  private emit(event: AuthChangeEvent, session: Session | null): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, session);
      } catch {
        // A listener's failure is its own; the others still hear the event.
      }
    }
  }

  private async load(): Promise<void> {
    try {
      const stored = await this.storage.getItem(this.storageKey);
      if (!stored) return;
      const session = JSON.parse(stored) as Session;
      if (typeof session?.accessToken !== 'string' || typeof session.expiresAt !== 'number') return;
      if (session.refreshExpiresAt <= this.now()) {
        await this.storage.removeItem(this.storageKey);
        return;
      }
      this.session = { ...session, claims: decodeAccessToken(session.accessToken) };
    } catch {
      // An unreadable stored session is no session.
    }
  }

  /** The middleware of `api`: the bearer token (refreshed before expiry), and one refresh-and-retry on 401. */
  middleware(): Middleware {
    const retries = new Map<string, { request: Request; token: string }>();
    const fetchImpl: typeof fetch = this.options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    return {
      onRequest: async ({ request, id }) => {
        if (request.headers.has('authorization')) return request;
        const token = await this.getAccessToken();
        if (!token) return request;
        request.headers.set('authorization', `Bearer ${token}`);
        retries.set(id, { request: request.clone(), token });
        return request;
      },
      onResponse: async ({ response, id }) => {
        const sent = retries.get(id);
        retries.delete(id);
        if (!sent || response.status !== 401) return response;
        let token: string | null;
        try {
          // Another caller may have refreshed already: then only the retry is needed.
          token = this.session && this.session.accessToken !== sent.token ? this.session.accessToken : (await this.refreshSession()).accessToken;
        } catch {
          return response;
        }
        if (!token) return response;
        const retry = sent.request;
        retry.headers.set('authorization', `Bearer ${token}`);
        return fetchImpl(retry);
      },
      onError: ({ id }) => {
        retries.delete(id);
      },
    };
  }
}

/** The SDK's entry point: `api` (typed, authenticated, refreshing) and `auth` (sessions). */
export interface IdentityClient {
  api: ApiClient;
  auth: AuthClient;
}

/**
 * ```ts
 * const client = createIdentityClient({ baseUrl: 'https://id.example.com', sessionMode: 'cookie' });
 * const { session, mfa } = await client.auth.signInWithPassword({ login, password });
 * const me = await unwrap(client.api.GET('/api/v1/users/me'));
 * ```
 */
export function createIdentityClient(options: IdentityClientOptions): IdentityClient {
  const auth = new AuthClient(options);
  const api = createApiClient(options.baseUrl, { headers: options.headers, fetch: options.fetch });
  api.use(auth.middleware());
  return { api, auth };
}


