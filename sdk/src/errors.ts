import type { components, paths } from '../schema.js';

/** An RFC 9457 problem document, the body of every error response except at `/auth/token`. */
export type Problem = components['schemas']['ProblemDto'];
/** The RFC 6749 error body of `POST /auth/token` (`{ error, error_description }`, plus `mfa_token` with `mfa_required`). */
export type OAuthErrorBody = components['schemas']['OAuthErrorDto'];

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
/** The HTTP methods of a path (lower case, as openapi-typescript writes them). */
export type MethodOf<P extends keyof paths> = keyof paths[P] & HttpMethod;

type ProblemBodies<R> = {
  [S in keyof R]: `${S & (string | number)}` extends `2${string}` ? never : R[S] extends { content: { 'application/problem+json': infer B } } ? B : never;
}[keyof R];

/**
 * The problem documents an operation's error responses declare: `OperationProblem<'/api/v1/auth/login', 'post'>`.
 * Its `code` is the union of that operation's codes where the OpenAPI document lists them.
 */
export type OperationProblem<P extends keyof paths, M extends MethodOf<P>> = paths[P][M] extends { responses: infer R } ? ProblemBodies<R> : never;
/** The error codes of one operation: `ProblemCode<'/api/v1/auth/login', 'post'>`. */
export type ProblemCode<P extends keyof paths, M extends MethodOf<P>> = OperationProblem<P, M> extends { code: infer C } ? C : string;

/** What openapi-fetch answers for one call. */
export interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}
export type DataOf<R> = R extends { data: infer D; error?: never } ? D : never;
export type ErrorOf<R> = R extends { error: infer E; data?: never } ? E : never;
/** The problem documents the error side of a call result can be. */
export type ProblemOf<R> = Extract<ErrorOf<R>, { code: unknown }> extends never ? Problem : Extract<ErrorOf<R>, { code: unknown }>;

/** A refused call: the status, the stable `code` and the whole problem document (`attemptsLeft`, `errors`, `mfaToken` …). */
export class ApiProblemError<P extends { code: unknown } = Problem> extends Error {
  readonly status: number;
  readonly code: P['code'];
  constructor(
    readonly problem: P,
    readonly response: Response,
  ) {
    super(`${response.status} ${String(problem.code)}: ${(problem as { detail?: string }).detail ?? response.statusText}`);
    this.name = 'ApiProblemError';
    this.status = response.status;
    this.code = problem.code;
  }
}

/** A refusal of `POST /auth/token`, in its RFC 6749 form. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: OAuthErrorBody['error'];
  /** With `mfa_required`: the mfaToken for the second step. */
  readonly mfaToken?: string;
  constructor(
    readonly body: OAuthErrorBody,
    readonly response: Response,
  ) {
    super(`${response.status} ${body.error}${body.error_description ? `: ${body.error_description}` : ''}`);
    this.name = 'OAuthError';
    this.status = response.status;
    this.error = body.error;
    this.mfaToken = body.mfa_token;
  }
}

/** A failure whose body is neither a problem document nor an OAuth error (a proxy's HTML page, an empty body). */
export class ApiResponseError extends Error {
  constructor(
    readonly response: Response,
    readonly body: unknown,
  ) {
    super(`${response.status} ${response.statusText || 'error'} from ${response.url}`);
    this.name = 'ApiResponseError';
  }
}

export function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string' && typeof (body as { status?: unknown }).status === 'number';
}

export function isOAuthError(body: unknown): body is OAuthErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

/**
 * Narrows a caught error to one operation's problems: `if (isApiProblem<'/api/v1/auth/login', 'post'>(e)) e.code`
 * (the type parameters only narrow the type; at run time this checks that it is an ApiProblemError).
 */
export function isApiProblem<P extends keyof paths = never, M extends MethodOf<P> = never>(
  error: unknown,
): error is ApiProblemError<[P] extends [never] ? Problem : OperationProblem<P, M> extends { code: unknown } ? OperationProblem<P, M> : Problem> {
  return error instanceof ApiProblemError;
}

function failure(result: FetchResult): Error {
  if (isProblem(result.error)) return new ApiProblemError(result.error, result.response);
  if (isOAuthError(result.error)) return new OAuthError(result.error, result.response);
  return new ApiResponseError(result.response, result.error);
}

/**
 * The data of a successful call, or throws its ApiProblemError (OAuthError at `/auth/token`):
 * `const me = await unwrap(api.GET('/api/v1/users/me'))`.
 */
export async function unwrap<R extends FetchResult>(pending: R | Promise<R>): Promise<DataOf<R>> {
  const result = await pending;
  if (result.response.ok && result.error === undefined) return result.data as DataOf<R>;
  throw failure(result);
}

/**
 * Like unwrap, without throwing: `{ data }` or `{ problem }`, the problem typed with the codes of that
 * operation — `const r = await settle(api.POST('/api/v1/auth/login', …)); if (r.problem) switch (r.problem.code) …`.
 */
export async function settle<R extends FetchResult>(
  pending: R | Promise<R>,
): Promise<{ data: DataOf<R>; problem?: undefined; response: Response } | { data?: undefined; problem: ApiProblemError<ProblemOf<R>>; response: Response }> {
  const result = await pending;
  if (result.response.ok && result.error === undefined) return { data: result.data as DataOf<R>, response: result.response };
  const error = failure(result);
  if (error instanceof ApiProblemError) return { problem: error as ApiProblemError<ProblemOf<R>>, response: result.response };
  throw error;
}
