import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestMeta } from '../domain/session';

/** The client's address (honouring TRUST_PROXY), user agent, and a signal that fires if it goes away. */
export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const response = ctx.switchToHttp().getResponse<FastifyReply>().raw;
  const controller = new AbortController();
  // 'close' before the response finished means the client went away.
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return {
    ip: request.ip ?? null,
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
    signal: controller.signal,
  };
});
