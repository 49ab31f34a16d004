import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-codes';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details';

export class FieldErrorDto {
  @ApiProperty({ example: 'password' })
  field: string;

  @ApiProperty({ example: 'password must be longer than or equal to 8 characters' })
  message: string;
}

/** RFC 9457 problem document: the body of every error response. */
export class ProblemDto {
  @ApiProperty({ description: 'urn:problem-type: followed by the code in lower case with dashes' })
  type: string;

  @ApiProperty({ description: 'The HTTP status text' })
  title: string;

  @ApiProperty({ description: 'The HTTP status' })
  status: number;

  @ApiProperty({ description: 'What went wrong, for people' })
  detail: string;

  @ApiProperty({ description: 'The path of the request' })
  instance: string;

  @ApiProperty({ description: 'Stable machine-readable error code; each response lists the codes it can carry' })
  code: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present for validation failures' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'Wrong one-time code: tries left before the code locks' })
  attemptsLeft?: number;

  @ApiPropertyOptional({ description: 'MFA_REQUIRED: the token for POST /auth/mfa/verify (valid MFA_TOKEN_TTL seconds, one sign-in)' })
  mfaToken?: string;

  @ApiPropertyOptional({ type: [String], description: 'MFA_REQUIRED: the second factors this user can use', example: ['totp', 'recovery_code'] })
  methods?: string[];

  @ApiPropertyOptional({ type: [String], description: 'USERNAME_TAKEN, EMAIL_TAKEN, PHONE_TAKEN, IDENTIFIER_TAKEN: the fields already in use', example: ['username', 'email'] })
  fields?: string[];

  @ApiPropertyOptional({ description: 'VERSION_CONFLICT: the current version of the task' })
  currentVersion?: number;
}

/**
 * The operation extension that carries the error codes a route declared, read by the document builder
 * (apps/api/src/docs/openapi.ts), which turns them into responses and removes the extension.
 */
export const ERROR_CODES_EXTENSION = 'x-error-codes';
/** The operation extension that marks an OAuth 2.0 endpoint (RFC 6749 error bodies), with its cases. */
export const OAUTH_ERRORS_EXTENSION = 'x-oauth-errors';
/** Where @nestjs/swagger keeps an operation's `x-` extensions (its DECORATORS.API_EXTENSION). */
const SWAGGER_EXTENSIONS = 'swagger/apiExtension';
/** Where Nest keeps a handler's HTTP method: present on route handlers only. */
const ROUTE_METHOD = 'method';

function addExtension(handler: object, key: string, merge: (current: unknown) => unknown): void {
  const extensions = (Reflect.getMetadata(SWAGGER_EXTENSIONS, handler) as Record<string, unknown> | undefined) ?? {};
  Reflect.defineMetadata(SWAGGER_EXTENSIONS, { ...extensions, [key]: merge(extensions[key]) }, handler);
}

/** A decorator for a handler, or for every route handler of a controller class. */
function onHandlers(apply: (handler: object) => void): MethodDecorator & ClassDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      apply(descriptor.value as object);
      return descriptor;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = name === 'constructor' ? undefined : Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (typeof handler === 'function' && Reflect.hasMetadata(ROUTE_METHOD, handler)) apply(handler);
    }
    return target;
  }) as MethodDecorator & ClassDecorator;
}

/**
 * The error codes a route answers with, from the registry (libs/core/src/errors/error-codes.ts).
 * The document gets, per status, a response whose `code` is an enum of these codes and an example of
 * each. Decorators add up: `@Authenticated()` and `@RateLimit()` declare their own codes, the
 * document builder adds what every route with a body, query or path parameters can answer
 * (VALIDATION_FAILED, MALFORMED_JSON …, INTERNAL_ERROR, SERVICE_UNAVAILABLE); declare the rest here.
 */
export function ApiErrors(...codes: Array<ErrorCode | { code: ErrorCode; status: number }>): MethodDecorator & ClassDecorator {
  // A code answered with another status than the registry's on this route travels as `CODE@status`.
  const entries = codes.map((c) => (typeof c === 'string' ? c : `${c.code}@${c.status}`));
  return onHandlers((handler) =>
    addExtension(handler, ERROR_CODES_EXTENSION, (current) => [...new Set([...((current as string[] | undefined) ?? []), ...entries])]),
  );
}

/** One way an OAuth 2.0 endpoint fails: the status and the RFC 6749 `error`, with an example. */
export interface OAuthErrorCase {
  status: number;
  error: string;
  /** When it happens, in one plain sentence. */
  meaning: string;
  /** The example's `error_description`. */
  description: string;
  /** Extra members of the example (`code`, `mfa_token`). */
  extra?: Record<string, unknown>;
}

/**
 * The errors of an endpoint that answers in RFC 6749 form (`{ error, error_description }`, as
 * `@RouteConfig(OAUTH2_ERROR_FORMAT)` makes the problem filter write them): documented per status with
 * an `error` enum and one example per case, instead of problem documents.
 */
export function ApiOAuthErrors(...cases: OAuthErrorCase[]): MethodDecorator {
  return onHandlers((handler) => addExtension(handler, OAUTH_ERRORS_EXTENSION, (current) => [...((current as OAuthErrorCase[] | undefined) ?? []), ...cases]));
}

/**
 * Error responses by status alone, without codes or examples.
 * @deprecated Declare the codes with `@ApiErrors(...)`: the OpenAPI test fails on error responses
 * without examples.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({ status, description: 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } } }),
    ),
  );
}
