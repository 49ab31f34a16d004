import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '../access/actor';

/** The verified caller of an `@Authenticated()` route (set by the global access guard). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest<{ user: Actor }>().user);
