/**
 * The one registry of error codes: every `code` an HTTP answer can carry, with its status, what it
 * means, and the problem document an example shows. Routes declare the codes they answer with
 * `@ApiErrors(...)` (libs/core/src/http/api-docs.ts), which turns them into documented responses:
 * per status a `code` enum and one example per code. A unit test (test/unit/error-codes.spec.ts)
 * fails when the source raises a code that is not listed here.
 */
export interface ErrorCodeDoc {
  /** The HTTP status the problem filter answers it with (by the error's kind). */
  readonly status: number;
  /** What it means, in one plain sentence (shown in the response description). */
  readonly meaning: string;
  /** The `detail` of the example (what the service says). */
  readonly detail: string;
  /** Extra members of the example problem document. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Other statuses the code is answered with on some routes (declared there as `{ code, status }`). */
  readonly otherStatuses?: readonly number[];
}

const field = (name: string, message: string) => ({ errors: [{ field: name, message }] });

export const ERROR_CODES = {
  // 400 — the request is wrong
  VALIDATION_FAILED: { status: 400, meaning: 'a field is missing, unknown or not valid (errors[] names each)', detail: 'The request is not valid', extensions: field('limit', 'limit must not be greater than 100') },
  MALFORMED_JSON: { status: 400, meaning: 'the body is not valid JSON', detail: 'The request body is not valid JSON' },
  JSON_TOO_DEEP: { status: 400, meaning: 'the JSON body nests deeper than 32 levels', detail: 'The request body nests arrays and objects deeper than 32 levels' },
  JSON_TOO_MANY_ITEMS: { status: 400, meaning: 'an array, object or repeated parameter has more than 1 000 entries', detail: 'An array or object in the request body has more than 1000 entries' },
  INVALID_CHARACTERS: { status: 400, meaning: 'a string holds control characters or unpaired surrogates', detail: 'The body contains control characters or unpaired surrogates where text is expected', extensions: field('body', 'control characters or unpaired surrogates') },
  BAD_REQUEST: { status: 400, meaning: 'the request is not valid HTTP', detail: 'The request is not valid HTTP' },
  MALFORMED_URL: { status: 400, meaning: 'the path is not validly percent-encoded', detail: 'The URL is not validly percent-encoded' },
  INVALID_CURSOR: { status: 400, meaning: 'the paging cursor was not issued for this list and sort', detail: 'The cursor is not valid', extensions: field('cursor', 'invalid cursor') },
  MALFORMED_MULTIPART: { status: 400, meaning: 'the multipart body cannot be read', detail: 'The multipart body cannot be read (missing or wrong boundary, or cut short)' },
  FILE_REQUIRED: { status: 400, meaning: 'the multipart field "file" is missing', detail: 'Send the image as the multipart field "file"' },
  INVALID_IMAGE: { status: 400, meaning: 'the image cannot be decoded', detail: 'The image cannot be decoded' },
  PASSWORD_TOO_WEAK: { status: 400, meaning: 'the password is too common or contains the account’s own name, email or phone', detail: 'This password is too common', extensions: field('password', 'This password is too common') },
  USERNAME_LOOKS_LIKE_PHONE: { status: 400, meaning: 'a username of digits, dots and dashes alone would read as a phone number', detail: 'A username made only of digits, dots and dashes would be read as a phone number at login', extensions: field('username', 'must contain a letter or "_" (digits, dots and dashes alone read as a phone number)') },
  PHONE_VERIFICATION_REQUIRED: { status: 400, meaning: 'registration needs the verificationToken of a verified register code for the phone', detail: 'Registration needs a phone number verified with a one-time code (purpose "register")', extensions: field('verificationToken', 'the verificationToken of a verified register code for this phone is required') },
  REDIRECT_NOT_ALLOWED: { status: 400, meaning: 'redirectTo does not match REDIRECT_ALLOWLIST', detail: 'redirectTo is not an allowed address (REDIRECT_ALLOWLIST)', extensions: field('redirectTo', 'not an allowed address') },
  REDIRECT_URI_INVALID: { status: 400, meaning: 'the client is unknown or inactive, or the redirect URI is not one it registered (exact match); answered as a page, never a redirect', detail: 'The client is unknown or this redirect_uri is not registered for it', extensions: field('redirect_uri', 'must be registered for client_id (exact match)') },
  PKCE_REQUIRED: { status: 400, meaning: 'provider sign-in needs a PKCE code_challenge with code_challenge_method=S256', detail: 'PKCE is required: code_challenge (43–128 characters of base64url) with code_challenge_method=S256', extensions: field('code_challenge', 'S256 code challenge required') },
  PROVIDER_STATE_INVALID: { status: 400, meaning: 'the provider callback’s state is unknown, expired or already used (a replay or a stale tab): no redirect', detail: 'This sign-in link is unknown, expired or was already used; start again from the application' },
  INVALID_GRANT: { status: 400, meaning: 'the authorization code is unknown, used or expired, or the client, redirect URI or verifier does not match (answered as the OAuth error invalid_grant)', detail: 'The code is unknown, used or expired, or the client, redirect URI or verifier does not match' },
  UNKNOWN_CLIENT: { status: 400, meaning: 'the clientId names no active application', detail: 'Unknown or inactive clientId' },
  INVALID_CURRENT_PASSWORD: { status: 400, meaning: 'the current password given is wrong (counts toward the lockout)', detail: 'The current password is wrong' },
  MFA_CODE_INVALID: { status: 400, meaning: 'the second-factor code is wrong or was used already', detail: 'The code is not valid', extensions: { attemptsLeft: 4 } },
  MFA_METHOD_NOT_AVAILABLE: { status: 400, meaning: 'the account has no factor of this method', detail: 'This method is not available for this account' },
  OTP_INVALID: { status: 400, meaning: 'the one-time code is wrong', detail: 'The code is not valid', extensions: { attemptsLeft: 4 } },
  OTP_EXPIRED: { status: 400, meaning: 'the one-time code has expired', detail: 'The code has expired; request a new one' },
  VERIFICATION_TOKEN_INVALID: { status: 400, meaning: 'the single-use token is unknown, used or replaced by a newer one', detail: 'The token is not valid (unknown, already used or replaced by a newer one)' },
  VERIFICATION_TOKEN_EXPIRED: { status: 400, meaning: 'the single-use token has expired', detail: 'The token has expired' },
  EMAIL_MISSING: { status: 400, meaning: 'the account has no email address', detail: 'The account has no email address' },
  ASSIGNEE_NOT_FOUND: { status: 400, meaning: 'assigneeId is not the id of an existing user', detail: 'The assignee does not exist', extensions: field('assigneeId', 'must be the id of an existing user') },
  UNKNOWN_ROLE: { status: 400, meaning: 'a role name does not exist in this scope (nothing changed)', detail: 'Unknown role: auditor', extensions: field('roles', 'unknown role "auditor" in this scope') },
  UNKNOWN_PERMISSION: { status: 400, meaning: 'a permission is not in the catalogue (nothing changed)', detail: 'Unknown permission: tasks:fly', extensions: field('permissions', 'unknown permission "tasks:fly"') },
  ROLE_NAME_RESERVED: { status: 400, meaning: 'role names cannot start with "app:"', detail: 'Role names cannot start with "app:" (app:clerk)', extensions: field('name', 'role names cannot start with "app:"') },
  // 401 — who is calling is not established
  UNAUTHENTICATED: { status: 401, meaning: 'no bearer token was sent', detail: 'Authentication is required' },
  TOKEN_INVALID: { status: 401, meaning: 'the token is not valid (signature, audience, type)', detail: 'The token is not valid' },
  TOKEN_EXPIRED: { status: 401, meaning: 'the token has expired; refresh it', detail: 'The token has expired' },
  TOKEN_REVOKED: { status: 401, meaning: 'the session or account behind the token has ended', detail: 'The token has been revoked' },
  TOKEN_REUSED: { status: 401, meaning: 'a rotated refresh token was presented again; the whole session is revoked', detail: 'This refresh token was already used; the session has been ended for safety' },
  INVALID_CREDENTIALS: { status: 401, meaning: 'the login or password (or one-time code login) is wrong', detail: 'The login or password is wrong' },
  PASSKEY_INVALID: {
    status: 401,
    meaning: 'the passkey answer is not accepted: unknown credential, bad signature, wrong origin or RP, used or expired challenge, or a signature counter that did not go up (registration: 400)',
    detail: 'The passkey is not accepted; request new options and try again',
    otherStatuses: [400],
  },
  MFA_TOKEN_INVALID: { status: 401, meaning: 'the mfaToken is unknown, expired, used up or bound to another clientId', detail: 'The mfaToken is unknown, expired or used; sign in again' },
  // 403 — known, but not allowed
  FORBIDDEN: { status: 403, meaning: 'the caller lacks the permission this route needs', detail: 'This needs the permission users:read' },
  ACCOUNT_DISABLED: { status: 403, meaning: 'the account is disabled', detail: 'This account is disabled' },
  MFA_REQUIRED: { status: 403, meaning: 'the first factor was right and two-factor is on: finish with POST /api/v1/auth/mfa/verify', detail: 'A second factor is required to finish signing in', extensions: { mfaToken: 'mfa_Vt3nq0c2l1Yf8VxkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E', methods: ['totp', 'recovery_code'] } },
  REAUTHENTICATION_REQUIRED: { status: 403, meaning: 'an account without a password must have signed in within the last 5 minutes', detail: 'This account has no password: sign in again (within 5 minutes) to do this' },
  TASK_EDIT_FORBIDDEN: { status: 403, meaning: 'the assignee may change only the status', detail: 'The assignee may change only the status' },
  OUTSIDE_APPLICATION: { status: 403, meaning: 'the caller’s roles reach only its own application', detail: 'Your roles allow this only within your own application' },
  PERMISSION_NOT_HELD: { status: 403, meaning: 'nobody can grant, change or take away a permission they do not hold', detail: 'You cannot grant permissions you do not hold: applications:write' },
  CSRF_HEADER_MISSING: { status: 403, meaning: 'the refresh cookie came without the header X-Refresh-Token-Delivery: cookie (CSRF protection)', detail: 'The refresh cookie is accepted only with the header X-Refresh-Token-Delivery: cookie' },
  ORIGIN_NOT_ALLOWED: { status: 403, meaning: 'cookie mode from an Origin that is neither in CORS_ORIGINS nor the service itself', detail: 'Requests in cookie mode are accepted only from the origins in CORS_ORIGINS or the service itself' },
  PERMISSION_BEYOND_APPLICATION: { status: 403, meaning: 'only a global administrator hands out permissions that reach beyond an application', detail: 'Only a global administrator can hand out permissions that reach beyond an application: audit:read' },
  // 404
  NOT_FOUND: { status: 404, meaning: 'nothing here', detail: 'Not Found' },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'no route matches this method and path', detail: 'No route matches this method and path' },
  ADMIN_CONSOLE_NOT_BUILT: { status: 404, meaning: 'the admin console at /admin has not been built (npm run build)', detail: 'The admin console has not been built: run `npm run build`.' },
  USER_NOT_FOUND: { status: 404, meaning: 'no such user (or not one the caller may see)', detail: 'No such user' },
  SESSION_NOT_FOUND: { status: 404, meaning: 'no such session (or not one the caller may see)', detail: 'No such session' },
  TASK_NOT_FOUND: { status: 404, meaning: 'no such task, or one the caller may not see', detail: 'No such task' },
  ROLE_NOT_FOUND: { status: 404, meaning: 'no such role', detail: 'No such role' },
  APPLICATION_NOT_FOUND: { status: 404, meaning: 'no such application', detail: 'No such application' },
  FACTOR_NOT_FOUND: { status: 404, meaning: 'no such second factor of this user', detail: 'No such factor' },
  UPLOAD_NOT_FOUND: { status: 404, meaning: 'no such upload', detail: 'No such upload' },
  PROVIDER_NOT_FOUND: { status: 404, meaning: 'no identity provider with this id is configured (AUTH_PROVIDERS)', detail: 'No such identity provider' },
  IDENTITY_NOT_FOUND: { status: 404, meaning: 'no identity of this provider is linked to the account', detail: 'No identity of this provider is linked to your account' },
  // 405 … 408
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'this method is not allowed here', detail: 'Method Not Allowed' },
  NOT_ACCEPTABLE: { status: 406, meaning: 'no representation matches Accept', detail: 'Not Acceptable' },
  REQUEST_TIMEOUT: { status: 408, meaning: 'the request did not arrive within HTTP_REQUEST_TIMEOUT_MS', detail: 'The request was not received in time' },
  // 409 — conflicts with the current state
  CONFLICT: { status: 409, meaning: 'conflicts with the current state', detail: 'Conflict' },
  USERNAME_TAKEN: { status: 409, meaning: 'the username belongs to another account', detail: 'Already in use: username', extensions: { fields: ['username'] } },
  EMAIL_TAKEN: { status: 409, meaning: 'the email address belongs to another account', detail: 'Already in use: email', extensions: { fields: ['email'] } },
  PHONE_TAKEN: { status: 409, meaning: 'the phone number belongs to another account', detail: 'Already in use: phone', extensions: { fields: ['phone'] } },
  IDENTIFIER_TAKEN: { status: 409, meaning: 'several of username, email and phone belong to other accounts (fields lists them)', detail: 'Already in use: username, email', extensions: { fields: ['username', 'email'] } },
  LAST_SIGN_IN_METHOD: { status: 409, meaning: 'unlinking would leave no way to sign in (no password, no other identity, no passkey)', detail: 'This is the only way left to sign in to your account; set a password or link another provider first' },
  ROLE_NAME_TAKEN: { status: 409, meaning: 'a role of this name exists in this scope', detail: 'A role named "editor" already exists in this scope' },
  ROLE_NAME_SHADOWS_GLOBAL: { status: 409, meaning: 'an application role and a global role cannot share a name', detail: '"editor" is the name of a global role; an application\'s role cannot take it' },
  CLIENT_ID_TAKEN: { status: 409, meaning: 'an application with this clientId exists', detail: 'An application with this clientId already exists' },
  SYSTEM_ROLE_PROTECTED: { status: 409, meaning: 'the system roles admin and user cannot be deleted, renamed or deactivated', detail: 'System roles (admin, user) cannot be deleted' },
  DEFAULT_APPLICATION_PROTECTED: { status: 409, meaning: 'the default application cannot be deleted or deactivated', detail: 'The default application cannot be deleted or deactivated' },
  EMAIL_ALREADY_VERIFIED: { status: 409, meaning: 'the email address is verified already', detail: 'The email address is already verified' },
  MFA_NOT_ENABLED: { status: 409, meaning: 'two-factor authentication is not on for this account', detail: 'Two-factor authentication is not on for this account' },
  // 412
  VERSION_CONFLICT: { status: 412, meaning: 'If-Match names a version that is no longer current', detail: 'The task was changed by someone else; read it again and retry', extensions: { currentVersion: 4 } },
  PRECONDITION_FAILED: { status: 412, meaning: 'a precondition failed', detail: 'Precondition Failed' },
  // 413 … 415, 431
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the body (1 MiB) or the upload (UPLOAD_MAX_BYTES) is too large', detail: 'The request body is larger than allowed' },
  IMAGE_TOO_LARGE: { status: 413, meaning: 'the image has more than UPLOAD_MAX_PIXELS pixels', detail: 'The image has more than 40000000 pixels' },
  URI_TOO_LONG: { status: 414, meaning: 'a path parameter is longer than 256 characters', detail: 'A path parameter is longer than allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'this content type is not accepted here', detail: 'This content type is not accepted' },
  UNSUPPORTED_IMAGE_TYPE: { status: 415, meaning: 'only PNG, JPEG and WebP images are accepted (read from the bytes)', detail: 'Only PNG, JPEG and WebP images are accepted (the type is read from the bytes, not the name)' },
  HEADERS_TOO_LARGE: { status: 431, meaning: 'the request line and headers are over 16 KiB', detail: 'The request line and headers are larger than allowed' },
  // 429 — slow down (Retry-After says when)
  RATE_LIMITED: { status: 429, meaning: 'too many requests from this address (or user) for this endpoint; see Retry-After', detail: 'Too many requests from this address; retry later' },
  LOGIN_LOCKED: { status: 429, meaning: 'too many failed sign-ins or password checks: the account is locked for Retry-After seconds', detail: 'Too many failed attempts; try again later' },
  OTP_LOCKED: { status: 429, meaning: 'too many wrong codes; request a new one', detail: 'Too many wrong codes; request a new one' },
  OTP_RESEND_TOO_SOON: { status: 429, meaning: 'a code was sent to this destination moments ago; see Retry-After', detail: 'A code was sent moments ago; wait before asking for another' },
  OTP_DAILY_LIMIT: { status: 429, meaning: 'the daily number of codes for this destination is spent', detail: 'Too many codes were sent to this destination today' },
  CONTACT_CHANGE_LIMIT: { status: 429, meaning: 'five new email addresses or phone numbers a day per user', detail: 'Too many email or phone changes today; try again later' },
  // 500, 503
  INTERNAL_ERROR: { status: 500, meaning: 'an unexpected error, logged with the request id', detail: 'An unexpected error occurred; it has been logged' },
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'the database is unreachable or the instance is shutting down; see Retry-After', detail: 'The database is unavailable at the moment; retry shortly' },
  LOGIN_BUSY: { status: 503, meaning: 'more sign-ins are waiting for the password hasher than it serves quickly; see Retry-After', detail: 'Too many logins in progress; retry shortly' },
  UPLOAD_BUSY: { status: 503, meaning: 'too many images are being decoded on this instance; see Retry-After', detail: 'Too many images are being processed; retry shortly' },
  PROVIDER_UNAVAILABLE: { status: 503, meaning: 'the identity provider (its discovery document) cannot be reached; see Retry-After', detail: 'The identity provider "google" cannot be reached; try again later' },
  NOT_READY: { status: 503, meaning: 'the instance is not ready (database down or draining)', detail: 'The service is not ready', extensions: { checks: { database: { status: 'down' } } } },
} as const satisfies Record<string, ErrorCodeDoc>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
