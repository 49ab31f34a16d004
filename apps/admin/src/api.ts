import {
  ApiProblemError,
  ApiResponseError,
  createIdentityClient,
  type AccessTokenClaims,
  type ApiClient,
  type AuthClient,
  type MfaChallenge,
  type Schemas,
} from '@identity-task/client';

export type { MfaChallenge, Schemas };
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
  let text = detail ? detail : `The service answered ${status}.`;
  if (typeof problem.attemptsLeft === 'number') text = `${text} Attempts left: ${problem.attemptsLeft}.`;
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
  if (error instanceof ApiProblemError) return problemMessage(error.status, error.problem);
  if (error instanceof ApiResponseError) return `The service answered ${error.response.status} ${error.response.statusText}.`.replace(/ \.$/, '.');
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A hint, not a secret: "this browser signed in to the console and has not signed out". Only with
 * it does a page load try the refresh cookie, so a first visit makes no refresh call that can only
 * fail (the browser would log the 401). The token itself is in an HttpOnly cookie no script can read.
 */
const HINT = 'admin-console:session';

/**
 * The console's session, on the SDK's auth layer (@identity-task/client) in cookie mode: the access
 * token only in memory (the SDK's default storage), the refresh token an HttpOnly; SameSite=Strict
 * cookie scoped to /auth/refresh and /auth/logout that scripts cannot read, so a reload gets a new
 * access token from it. The SDK refreshes before expiry and once on a 401, one refresh for all callers.
 */
export class Session {
  readonly api: ApiClient;
  readonly auth: AuthClient;
  private claimsNow: AccessTokenClaims | null = null;
  private listeners = new Set<() => void>();

  constructor(baseUrl = window.location.origin) {
    const client = createIdentityClient({ baseUrl, sessionMode: 'cookie' });
    this.api = client.api;
    this.auth = client.auth;
    // Signed in or refreshed: a session (remember that this browser has one); signed out: none.
    this.auth.onAuthStateChange((_event, session) => {
      this.claimsNow = session?.claims ?? null;
      if (session) localStorage.setItem(HINT, '1');
      else localStorage.removeItem(HINT);
      for (const listener of this.listeners) listener();
    });
  }

  get signedIn(): boolean {
    return this.claimsNow !== null;
  }

  /** The claims of the current access token (for display and the roles; the API checks the signature). */
  claims(): AccessTokenClaims | undefined {
    return this.claimsNow ?? undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a page load: the session from the refresh cookie, when this browser has one. */
  async resume(): Promise<boolean> {
    if (localStorage.getItem(HINT) !== '1') return false;
    const session = await this.auth.restore();
    if (!session) localStorage.removeItem(HINT);
    return session !== null;
  }

  /** Password sign-in: the session, or the second-factor challenge to answer. Throws ApiProblemError. */
  async signIn(login: string, password: string): Promise<MfaChallenge | undefined> {
    const result = await this.auth.signInWithPassword({ login, password });
    return result.mfa;
  }

  /** Ends the session on the server (which clears the cookie), then here. */
  signOut(): Promise<void> {
    return this.auth.signOut();
  }
}
