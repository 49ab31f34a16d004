import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiErrors } from './api-docs';

export const PUBLIC_ROUTE = 'access:public';
export const ROUTE_ACCESS = 'access:rule';

export interface AccessRule {
  /** A permission string from the catalogue (`resource:action[:scope]`) the caller must hold. */
  permission?: string;
  /**
   * The route also runs without a token (then there is no actor): a token that is sent is still
   * checked. For routes with another way to identify the caller (logout with a refresh token).
   */
  optional?: boolean;
}

/**
 * Marks a route as reachable without a token. Every route says either `@Public()` or
 * `@Authenticated(...)`.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The route needs a valid access token (and, if given, a permission). Sets the guard's metadata and
 * the matching Swagger security entries and error responses from one declaration.
 */
export function Authenticated(rule: AccessRule = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, rule),
    ApiBearerAuth('bearer'),
    ApiSecurity('oauth2'),
    ApiErrors('UNAUTHENTICATED', 'TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_REVOKED', ...(rule.permission ? (['FORBIDDEN'] as const) : [])),
    // An empty requirement: the route also runs without any token.
    ...(rule.optional ? [ApiSecurity({})] : []),
  );
}
