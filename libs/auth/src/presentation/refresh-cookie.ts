import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtraModels, ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, map, Observable, throwError } from 'rxjs';
import { ApiErrors, authConfig, AuthSettings, DomainError, ForbiddenError, httpConfig, HttpSettings, ProblemDto } from '@app/core';

/**
 * Cookie mode ("browser-safe sessions", docs/sdk.md): instead of the JSON body, the refresh token
 * travels in an `HttpOnly; Secure; SameSite=Strict` cookie that only the refresh and logout paths
 * receive, so no script on the page can read it. A request opts in with the header
 * `X-Refresh-Token-Delivery: cookie`; the same header is the CSRF guard of the endpoints that accept
 * the cookie (a custom header cannot be sent cross-site without a CORS preflight, and CORS allows
 * credentials only for the origins in CORS_ORIGINS), together with an Origin check.
 */
export const REFRESH_COOKIE_NAME = 'refresh_token';
export const REFRESH_DELIVERY_HEADER = 'X-Refresh-Token-Delivery';
export const REFRESH_DELIVERY_COOKIE = 'cookie';
/** The paths (under PUBLIC_BASE_URL's path) the cookie is scoped to: one cookie each, same value. */
export const REFRESH_COOKIE_PATHS = ['/api/v1/auth/refresh', '/api/v1/auth/logout'] as const;

/**
 * What a route does with the cookie: `issue` (a sign-in: a token pair in the answer moves into the
 * cookie when asked), `rotate` (refresh: reads the cookie when the body has no token, answers with the
 * successor in the cookie), `end` (logout: reads it likewise, clears it).
 */
export type RefreshCookieRole = 'issue' | 'rotate' | 'end';
const ROLE = 'auth:refresh-cookie';

export const CSRF_HEADER_MISSING = 'CSRF_HEADER_MISSING' as const;
export const ORIGIN_NOT_ALLOWED = 'ORIGIN_NOT_ALLOWED' as const;

type Request = FastifyRequest & { body?: unknown };

/** `Cookie` header → value of `name` (the first one; RFC 6265 §5.4 sends the most specific path first). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Origins a cookie-authenticated request may come from: the explicit CORS_ORIGINS list (not the
 * development "any origin" default), the origin of PUBLIC_BASE_URL, and the service's own host as the
 * request names it (a same-origin page, such as the admin console).
 */
export function originAllowed(origin: string, host: string | undefined, http: Pick<HttpSettings, 'corsOrigins' | 'publicBaseUrl'>): boolean {
  if (Array.isArray(http.corsOrigins) && http.corsOrigins.includes(origin)) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(http.publicBaseUrl).origin) return true;
  return host !== undefined && parsed.host === host.toLowerCase();
}

/**
 * Puts the refresh token of a route's answer into the cookie, reads it back for refresh and logout,
 * and enforces the CSRF checks. One piece for every route that starts, rotates or ends a session:
 * mark the route with `@RefreshCookie('issue' | 'rotate' | 'end')`.
 */
@Injectable()
export class RefreshCookieInterceptor implements NestInterceptor {
  private readonly basePath: string;

  constructor(
    private readonly reflector: Reflector,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
    @Inject(authConfig.KEY) private readonly auth: AuthSettings,
  ) {
    this.basePath = new URL(http.publicBaseUrl).pathname.replace(/\/+$/, '');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const role = this.reflector.get<RefreshCookieRole | undefined>(ROLE, context.getHandler());
    if (!role || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    const asked = headerValue(request, REFRESH_DELIVERY_HEADER.toLowerCase())?.toLowerCase() === REFRESH_DELIVERY_COOKIE;
    const cookie = role === 'issue' ? undefined : readCookie(headerValue(request, 'cookie'), REFRESH_COOKIE_NAME);
    const bodyField = request.url.includes('/auth/token') ? 'refresh_token' : 'refreshToken';
    const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : undefined;
    const usesCookie = cookie !== undefined && body?.[bodyField] === undefined;
    const cookieMode = asked || usesCookie;

    if (usesCookie && !asked) {
      return throwError(() => new ForbiddenError(CSRF_HEADER_MISSING, `The refresh cookie is accepted only with the header ${REFRESH_DELIVERY_HEADER}: cookie`));
    }
    if (cookieMode) {
      const origin = headerValue(request, 'origin');
      if (origin !== undefined && !originAllowed(origin, headerValue(request, 'host'), this.http)) {
        return throwError(() => new ForbiddenError(ORIGIN_NOT_ALLOWED, 'Requests in cookie mode are accepted only from the origins in CORS_ORIGINS or the service itself'));
      }
    }
    if (usesCookie) request.body = { ...(body ?? {}), [bodyField]: cookie };

    return next.handle().pipe(
      map((result) => {
        if (role === 'end') {
          if (cookieMode || cookie !== undefined) this.clear(reply);
          return result;
        }
        if (!cookieMode || !result || typeof result !== 'object') return result;
        const out = { ...(result as Record<string, unknown>) };
        const key = 'refreshToken' in out ? 'refreshToken' : 'refresh_token' in out ? 'refresh_token' : undefined;
        if (!key || typeof out[key] !== 'string') return result;
        const seconds = typeof out.refreshExpiresIn === 'number' ? out.refreshExpiresIn : this.auth.refreshTokenTtl;
        this.set(reply, out[key] as string, seconds);
        delete out[key];
        return out;
      }),
      catchError((error: unknown) => {
        // A cookie that no longer works (expired, revoked, reused) is cleared with the refusal.
        if (usesCookie && error instanceof DomainError && error.kind === 'unauthenticated') this.clear(reply);
        return throwError(() => error);
      }),
    );
  }

  private attributes(path: string, maxAge: number): string {
    return [`Path=${this.basePath}${path}`, `Max-Age=${maxAge}`, 'HttpOnly', ...(this.http.refreshCookieSecure ? ['Secure'] : []), 'SameSite=Strict'].join('; ');
  }

  private set(reply: FastifyReply, token: string, maxAge: number): void {
    reply.header('set-cookie', REFRESH_COOKIE_PATHS.map((path) => `${REFRESH_COOKIE_NAME}=${encodeURIComponent(token)}; ${this.attributes(path, Math.max(0, Math.floor(maxAge)))}`));
  }

  private clear(reply: FastifyReply): void {
    reply.header('set-cookie', REFRESH_COOKIE_PATHS.map((path) => `${REFRESH_COOKIE_NAME}=; ${this.attributes(path, 0)}`));
  }
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Marks a route that starts (`issue`), rotates (`rotate`) or ends (`end`) a session for cookie mode,
 * and documents the opt-in header, the cookie and the CSRF refusals in the OpenAPI document.
 */
export function RefreshCookie(role: RefreshCookieRole): MethodDecorator {
  const cookieAttributes = `HttpOnly; Secure; SameSite=Strict; Path=${REFRESH_COOKIE_PATHS.join(' and ')}`;
  const what =
    role === 'issue'
      ? `\`cookie\`: the refresh token is set as the cookie \`${REFRESH_COOKIE_NAME}\` (${cookieAttributes}) and left out of the JSON body (cookie mode, for browsers).`
      : role === 'rotate'
        ? `\`cookie\`: required when the refresh token comes from the \`${REFRESH_COOKIE_NAME}\` cookie (CSRF protection); the successor is set as the cookie and left out of the body.`
        : `\`cookie\`: required when the refresh token comes from the \`${REFRESH_COOKIE_NAME}\` cookie (CSRF protection); the cookie is cleared.`;
  return applyDecorators(
    SetMetadata(ROLE, role),
    ApiExtraModels(ProblemDto),
    UseInterceptors(RefreshCookieInterceptor),
    ApiHeader({ name: REFRESH_DELIVERY_HEADER, required: false, enum: [REFRESH_DELIVERY_COOKIE], description: `${what} From a disallowed Origin: 403 \`${ORIGIN_NOT_ALLOWED}\`.` }),
    ApiErrors(...(role === 'issue' ? ([ORIGIN_NOT_ALLOWED] as const) : ([CSRF_HEADER_MISSING, ORIGIN_NOT_ALLOWED] as const))),
  );
}
