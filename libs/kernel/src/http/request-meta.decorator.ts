import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '@app/core';
import type { RequestMeta } from './request-meta';

/** The client's address (honouring TRUST_PROXY), user agent, when the request arrived, and a signal that fires if it goes away. */
export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const reply = ctx.switchToHttp().getResponse<FastifyReply>();
  const response = reply.raw;
  const controller = new AbortController();
  // 'close' before the response finished means the client went away.
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return {
    ip: request.ip ?? null,
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
    signal: controller.signal,
    // Fastify times every request from its first hook; the clock is the app's (createApp puts it on the server).
    receivedAt: new Date((request.server as unknown as { clock: Clock }).clock.nowMs() - reply.elapsedTime),
  };
});
