import { Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { httpConfig, HttpSettings, MetricsService, NotFoundError, Public, UnauthenticatedError } from '@app/core';
import { metricsAuthorized } from './metrics-access';

/**
 * Prometheus scrape endpoint on the API port. Not part of the public API document. With
 * `METRICS_TOKEN` it needs `Authorization: Bearer <token>`; with `METRICS_PORT` it is served only by
 * the management listener (`MetricsServer`) and this route answers 404 like an unknown one.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
  ) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (this.http.metricsPort !== undefined) throw new NotFoundError('ROUTE_NOT_FOUND', 'No route matches this method and path');
    if (!metricsAuthorized(authorization, this.http.metricsToken)) throw new UnauthenticatedError('UNAUTHENTICATED', 'The metrics bearer token is required');
    const { contentType, body } = await this.metrics.render();
    reply.type(contentType).send(body);
  }
}
