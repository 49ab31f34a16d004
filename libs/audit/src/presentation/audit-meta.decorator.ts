import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface AuditMeta {
  ip: string | null;
  userAgent: string | null;
}

/** Where the request came from (address honouring TRUST_PROXY, user agent), for audit events. */
export const AuditOrigin = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditMeta => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
});
