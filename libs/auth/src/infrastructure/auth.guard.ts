import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, can, isPermission, Permission } from '@app/kernel';
import { AccessRule, ForbiddenError, PUBLIC_ROUTE, ROUTE_ACCESS, UnauthenticatedError } from '@app/core';
import { JwtAccessTokens } from './jwt-access-tokens';

/** What a route asks for, read once per handler from its metadata. */
type RouteAccess = { public: true } | { public: false; permission?: Permission; optional?: boolean };

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * The one global guard: `@Public()` routes pass; every other route needs a valid access token and,
 * when `@Authenticated({ permission })` names one, that permission (`optional`: no Authorization header at
 * all lets the request through without an actor). The token is checked by
 * `JwtAccessTokens.verify` (signature with the key chosen by `kid`, pinned algorithm, header and
 * claim types, issuer, expiry, audience, revocation) — in memory, without a database query — and the
 * actor it yields becomes `request.user`. A missing or non-Bearer header is UNAUTHENTICATED; a token
 * that fails a check is TOKEN_INVALID / TOKEN_EXPIRED / TOKEN_REVOKED.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Per controller class, per handler (a handler may be inherited by several controllers). */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: JwtAccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.accessOf(context);
    if (access.public) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: Actor }>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) {
      if (access.optional && header === undefined) return true;
      throw new UnauthenticatedError();
    }
    const actor = this.tokens.verify(match[1]);
    request.user = actor;
    if (access.permission && !can(actor, access.permission)) {
      throw new ForbiddenError('FORBIDDEN', `This needs the permission ${access.permission}`);
    }
    return true;
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
