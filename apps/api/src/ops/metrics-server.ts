import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpConfig, HttpSettings, MetricsService, PROBLEM_CONTENT_TYPE, problemDocument } from '@app/core';
import { metricsAuthorized } from './metrics-access';

/**
 * The management listener (`METRICS_PORT`): `GET /metrics` and nothing else, on its own port, so that
 * the scrape endpoint can stay off the public network. `METRICS_TOKEN`, when set, is required here too.
 * Started with the application and closed with it.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
  ) {}

  /** The port it listens on (useful when `METRICS_PORT=0`); undefined when not started. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null | undefined)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.http.metricsPort === undefined) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.http.metricsPort, this.http.metricsHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics on http://${this.http.metricsHost}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return problem(res, 404, 'ROUTE_NOT_FOUND', 'Only /metrics is served here', path);
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET', path);
    if (!metricsAuthorized(req.headers.authorization, this.http.metricsToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return problem(res, 401, 'UNAUTHENTICATED', 'The metrics bearer token is required', path);
    }
    try {
      const { contentType, body } = await this.metrics.render();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error({ msg: 'Rendering the metrics failed', err: error instanceof Error ? error.message : String(error) });
      problem(res, 500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged', path);
    }
  }
}

function problem(res: ServerResponse, status: number, code: string, detail: string, instance: string): void {
  const body = JSON.stringify(problemDocument(status, code, detail, instance));
  res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(body);
}
