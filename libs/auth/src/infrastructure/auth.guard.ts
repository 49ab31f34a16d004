import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { TokenExpiredError } from 'jsonwebtoken';
import { Actor, can, isPermission, Permission } from '@app/kernel';
import { AccessRule, ForbiddenError, PUBLIC_ROUTE, ROUTE_ACCESS, UnauthenticatedError } from '@app/core';
import { tokenExpired, tokenInvalid } from '../domain/errors';
import { JwtStrategy } from './jwt.strategy';

/** What a route asks for, read once per handler from its metadata. */
type RouteAccess = { public: true } | { public: false; permission?: Permission; optional?: boolean };

/**
 * The one global guard, on `@nestjs/passport` with the passport-jwt strategy (`JwtStrategy`):
 * `@Public()` routes pass; every other route needs a valid access token and, when
 * `@Authenticated({ permission })` names one, that permission (`optional`: no Authorization header at
 * all lets the request through without an actor). The strategy verifies the token (key by
 * `kid`, pinned algorithm, header type, issuer) and its `validate` yields the actor — in memory,
 * without a database query — which becomes `request.user`. A missing or non-Bearer header is
 * UNAUTHENTICATED; a token that fails a check is TOKEN_INVALID / TOKEN_EXPIRED / TOKEN_REVOKED.
 */
@Injectable()
export class AccessGuard extends AuthGuard() {
  /** Per controller class, per handler (a handler may be inherited by several controllers). */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    strategy: JwtStrategy,
  ) {
    // This app's own strategy (see JwtStrategy), by the name it registered; AuthModule provides the
    // same options for @nestjs/passport's property injection.
    super({ defaultStrategy: strategy.strategyName, session: false });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.accessOf(context);
    if (access.public) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user: Actor }>();
    if (access.optional && request.headers.authorization === undefined) return true;
    await super.canActivate(context);
    const actor = request.user;
    if (access.permission && !can(actor, access.permission)) {
      throw new ForbiddenError('FORBIDDEN', `This needs the permission ${access.permission}`);
    }
    return true;
  }

  /** Passport's outcome as the service's errors: `validate` threw (a domain error), or the strategy failed. */
  override handleRequest<TUser = Actor>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (user) return user;
    if (info instanceof TokenExpiredError) throw tokenExpired();
    if (info instanceof Error && info.message === 'No auth token') throw new UnauthenticatedError();
    throw tokenInvalid();
  }

  private accessOf(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new WeakMap()));
    let access = byHandler.get(handler);
    if (!access) {
      const targets = [handler, controller];
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) access = { public: true };
      else {
        const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ROUTE_ACCESS, targets) ?? {};
        if (rule.permission && !isPermission(rule.permission)) throw new Error(`unknown permission ${rule.permission}`);
        access = { public: false, permission: rule.permission as Permission | undefined, optional: rule.optional === true };
      }
      byHandler.set(handler, access);
    }
    return access;
  }
}
