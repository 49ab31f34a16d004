import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details';

export class FieldErrorDto {
  @ApiProperty({ example: 'password' })
  field: string;

  @ApiProperty({ example: 'password must be longer than or equal to 8 characters' })
  message: string;
}

/** RFC 9457 problem document: the body of every error response. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:problem-type:validation-failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request is not valid' })
  detail: string;

  @ApiProperty({ example: '/api/v1/auth/register' })
  instance: string;

  @ApiProperty({ description: 'Stable machine-readable error code', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present for validation failures' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'Wrong one-time code: tries left before the code locks' })
  attemptsLeft?: number;

  @ApiPropertyOptional({ description: '`MFA_REQUIRED`: the token for POST /auth/mfa/verify (valid MFA_TOKEN_TTL seconds, one sign-in)' })
  mfaToken?: string;

  @ApiPropertyOptional({ type: [String], description: '`MFA_REQUIRED`: the second factors this user can use', example: ['totp', 'recovery_code'] })
  methods?: string[];
}

/** The 403 of a sign-in that needs a second factor, documented with its extra members. */
export function ApiMfaRequired(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ApiResponse({
      status: 403,
      description: '`MFA_REQUIRED`: the first factor was right and two-factor authentication is on — finish with POST /auth/mfa/verify (or `ACCOUNT_DISABLED`)',
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { $ref: getSchemaPath(ProblemDto) },
          example: {
            type: 'urn:problem-type:mfa-required',
            title: 'Forbidden',
            status: 403,
            detail: 'A second factor is required to finish signing in',
            instance: '/api/v1/auth/login',
            code: 'MFA_REQUIRED',
            mfaToken: 'mfa_Vt3nq0c2l1Yf8VxkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E',
            methods: ['totp', 'recovery_code'],
          },
        },
      },
    }),
  ) as MethodDecorator;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (validation failed or malformed body)',
  401: 'Missing, invalid, expired or revoked credentials',
  403: 'Authenticated but not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  412: 'Precondition failed (stale version)',
  413: 'Request body too large',
  415: 'Unsupported media type',
  429: 'Too many requests (`RATE_LIMITED` per address, or a more specific code such as `LOGIN_LOCKED`); see Retry-After',
  500: 'Unexpected error',
  503: 'Temporarily unavailable; see Retry-After',
};

/** Documents the given error statuses as problem+json responses. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
