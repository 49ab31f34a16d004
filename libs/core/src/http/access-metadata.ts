import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'access:public';

/**
 * Marks a route as reachable without a token. Every route says either `@Public()` or
 * `@Authenticated(...)`; the global guard refuses a route that says neither.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
