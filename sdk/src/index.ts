export type { components, operations, paths } from '../schema.js';
export { createApiClient, pages, PageFetchError } from './client.js';
export type { ApiClient, ApiClientOptions, Schemas } from './client.js';
export { AuthClient, createIdentityClient, REFRESH_DELIVERY_HEADER } from './auth.js';
export type {
  AuthChangeEvent,
  AuthStateListener,
  IdentityClient,
  IdentityClientOptions,
  LoginProblem,
  MfaChallenge,
  MfaMethod,
  MfaVerifyProblem,
  OtpVerifyProblem,
  RefreshProblem,
  Session,
  SessionMode,
  SignInResult,
} from './auth.js';
export { ApiProblemError, ApiResponseError, isApiProblem, isOAuthError, isProblem, OAuthError, settle, unwrap } from './errors.js';
export type { DataOf, ErrorOf, FetchResult, MethodOf, OAuthErrorBody, OperationProblem, Problem, ProblemCode, ProblemOf } from './errors.js';
export { decodeAccessToken } from './jwt.js';
export type { AccessTokenClaims } from './jwt.js';
export { localStorageStorage, memoryStorage } from './storage.js';
export type { TokenStorage } from './storage.js';
