import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import { TokenExpiredError } from 'jsonwebtoken';
import { Actor, can, isPermission } from '@app/access';
import { AccessRule, DomainError, ForbiddenError, PUBLIC_ROUTE, ROUTE_ACCESS, UnauthenticatedError } from '@app/core';
import { tokenExpired, tokenInvalid } from '../domain/errors';

/**
 * The one global guard: `@Public()` routes pass; every other route needs a valid access token
 * (passport-jwt) and, when `@Authenticated({ permission })` names one, that permission.
 */
@Injectable()
export class AccessGuard extends PassportGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    await super.canActivate(context);
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ROUTE_ACCESS, targets) ?? {};
    if (rule.permission) {
      if (!isPermission(rule.permission)) throw new Error(`unknown permission ${rule.permission}`);
      const actor = context.switchToHttp().getRequest<{ user: Actor }>().user;
      if (!can(actor, rule.permission)) throw new ForbiddenError('FORBIDDEN', `This needs the permission ${rule.permission}`);
    }
    return true;
  }

  override handleRequest<TUser = Actor>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err instanceof DomainError) throw err;
    if (user) return user;
    if (info instanceof TokenExpiredError || err instanceof TokenExpiredError) throw tokenExpired();
    if (info instanceof Error && /No auth token/i.test(info.message)) throw new UnauthenticatedError();
    throw tokenInvalid();
  }
}
