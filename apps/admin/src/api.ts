import { createApiClient, type ApiClient, type Schemas } from '@identity-task/client';

export type { Schemas };
export type User = Schemas['UserResponse'];
export type Role = Schemas['RoleDto'];
export type Application = Schemas['ApplicationDto'] & { redirectUris?: string[] };
export type AuditEvent = Schemas['AuditEventDto'];
export type Notification = Schemas['NotificationDto'];
export type UserSession = Schemas['SessionDto'];
export type Problem = Schemas['ProblemDto'];

/** A refused or failed call: `message` is what the person reads — the problem's `detail`, in words. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem?: Partial<Problem>,
  ) {
    super(message);
  }
  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** The words shown for a problem document (RFC 9457): its detail, and the fields it names. */
export function problemMessage(status: number, body: unknown): string {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Partial<Problem> & { error_description?: string };
  const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  const detail = problem.detail ?? problem.error_description ?? problem.title;
  const text = detail ? detail : `The service answered ${status}.`;
  return fields.length > 0 && !fields.every((f) => text.includes(f)) ? `${text} (${fields.join('; ')})` : text;
}

/** Unwraps an openapi-fetch answer: the data, or an ApiError carrying the problem's words. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new ApiError(`The service could not be reached (${error instanceof Error ? error.message : String(error)}).`, 0);
  }
  const { data, error, response } = result;
  if (!response.ok) throw new ApiError(problemMessage(response.status, error), response.status, error as Partial<Problem>);
  return data as T;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

type Tokens = Schemas['TokenPairDto'];

/** Asks the service for the refresh token as an HttpOnly cookie (see docs/admin-console.md). */
export const COOKIE_MODE = { 'x-refresh-token-delivery': 'cookie' } as const;

/**
 * A hint, not a secret: "this browser signed in to the console and has not signed out". Only with
 * it does a page load try the refresh cookie, so a first visit makes no refresh call that can only
 * fail (the browser would log the 401). The token itself is in an HttpOnly cookie no script can read.
 */
const HINT = 'admin-console:session';

/**
 * The console's session. The access token lives only in this object (memory: gone with the page);
 * the refresh token is an HttpOnly; SameSite=Strict cookie scoped to /auth/refresh and /auth/logout
 * that scripts cannot read, so a reload gets a new access token from it. (A service without cookie
 * mode answers the refresh token in the body: it is then kept in memory only, and a reload signs out.)
 * Every call that answers 401 refreshes once — one refresh in flight for all callers — and is retried.
 */
export class Session {
  private accessToken: string | undefined;
  private bodyRefreshToken: string | undefined;
  private refreshing: Promise<boolean> | undefined;
  private renewal: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();
  readonly api: ApiClient;
  /** Unauthenticated calls (sign-in, refresh). */
  readonly anonymous: ApiClient;

  constructor(baseUrl = window.location.origin) {
    this.anonymous = createApiClient(baseUrl);
    this.api = createApiClient(baseUrl, { token: () => this.accessToken, fetch: (request) => this.send(request as Request) });
  }

  get signedIn(): boolean {
    return this.accessToken !== undefined;
  }

  /** The claims of the current access token (read for display and for the roles; the API checks the signature). */
  claims(): { sub: string; roles: string[]; aud: string; exp: number } | undefined {
    if (!this.accessToken) return undefined;
    const payload = this.accessToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  accept(tokens: Tokens): void {
    this.accessToken = tokens.accessToken;
    this.bodyRefreshToken = tokens.refreshToken;
    if (!tokens.refreshToken) localStorage.setItem(HINT, '1');
    // Renew a minute before the access token expires, so that calls do not meet a 401 (which the
    // browser would log) in ordinary use; a 401 still triggers a refresh (see send()).
    clearTimeout(this.renewal);
    const inMs = Math.max(5_000, (tokens.expiresIn - 60) * 1000);
    this.renewal = setTimeout(() => void this.refresh(), inMs);
    for (const listener of this.listeners) listener();
  }

  clear(): void {
    clearTimeout(this.renewal);
    this.renewal = undefined;
    this.accessToken = undefined;
    this.bodyRefreshToken = undefined;
    localStorage.removeItem(HINT);
    for (const listener of this.listeners) listener();
  }

  /** Whether a page load should try to resume a session from the refresh cookie. */
  get resumable(): boolean {
    return this.bodyRefreshToken !== undefined || localStorage.getItem(HINT) === '1';
  }

  /** Gets a new access token (from the cookie, or the in-memory refresh token); one request in flight however many callers wait. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        if (!this.resumable) return false;
        const body = this.bodyRefreshToken ? { refreshToken: this.bodyRefreshToken } : {};
        const { data, response } = await this.anonymous.POST('/api/v1/auth/refresh', { body, headers: COOKIE_MODE });
        if (!response.ok || !data) {
          this.clear();
          return false;
        }
        this.accept(data);
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** Ends the session on the server (which clears the cookie), then here. */
  async signOut(): Promise<void> {
    try {
      if (this.accessToken) await this.api.POST('/api/v1/auth/logout', { headers: COOKIE_MODE });
    } finally {
      this.clear();
    }
  }

  private async send(request: Request): Promise<Response> {
    const retry = request.clone();
    const response = await fetch(request);
    if (response.status !== 401 || !this.resumable) return response;
    if (!(await this.refresh())) return response;
    retry.headers.set('authorization', `Bearer ${this.accessToken}`);
    return fetch(retry);
  }
}
