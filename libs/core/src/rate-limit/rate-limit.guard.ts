import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { authConfig, AuthSettings } from '../config';
import { RateLimitedError } from '../errors';
import { ApiErrors } from '../http/api-docs';
import { MetricsService } from '../metrics';
import { clientAddressKey } from './client-address';
import { RATE_LIMITED, RateLimiter } from './rate-limiter';

export const RATE_LIMIT_ENDPOINT = 'rate-limit:endpoint';

/**
 * The per-address limit of the sensitive endpoints: `AUTH_RATE_LIMIT` requests a minute per client
 * address (IPv6: per /64; `X-Forwarded-For` only as `TRUST_PROXY` allows) and endpoint, counted in
 * Postgres by every instance together.
 */
@Injectable()
export class AddressRateLimits {
  private readonly refused: Counter<'endpoint'>;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
    metrics: MetricsService,
  ) {
    this.refused = metrics.counter('rate_limit_refusals_total', 'Requests refused by a per-address rate limit', ['endpoint']);
  }

  /** Counts one request from `ip` to `endpoint`; throws 429 `RATE_LIMITED` with Retry-After past the limit. */
  async check(endpoint: string, ip: string | null | undefined): Promise<void> {
    const decision = await this.limiter.hit(`ip:${endpoint}:${clientAddressKey(ip)}`, this.config.rateLimitPerMinute, 60);
    if (decision.allowed) return;
    this.refused.inc({ endpoint });
    throw new RateLimitedError(RATE_LIMITED, 'Too many requests from this address; retry later', decision.retryAfterSeconds);
  }
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: AddressRateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const endpoint = this.reflector.get<string | undefined>(RATE_LIMIT_ENDPOINT, context.getHandler());
    if (!endpoint || context.getType() !== 'http') return true;
    await this.limits.check(endpoint, context.switchToHttp().getRequest<FastifyRequest>().ip);
    return true;
  }
}

/**
 * Puts a route under the per-address limit (`AUTH_RATE_LIMIT` a minute per address) under its own
 * budget `endpoint`; checked before the body is validated. Documents the 429.
 */
export function RateLimit(endpoint: string): MethodDecorator {
  return applyDecorators(SetMetadata(RATE_LIMIT_ENDPOINT, endpoint), UseGuards(RateLimitGuard), ApiErrors('RATE_LIMITED'));
}
