import multipart from '@fastify/multipart';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { REFRESH_DELIVERY_HEADER } from '@app/auth';
import { LoginGate } from '@app/credentials';
import { AppConfig, AppLogger, clientErrorHandler, Clock, createValidationPipe, frameworkErrorHandler, MetricsService, ProblemDetailsFilter, requestIdFor, ShutdownState } from '@app/core';
import { registerAdminConsole } from './admin-console';
import { AppRootModule } from './app.module';
import { registerShutdownGate } from './graceful-shutdown';
import { buildOpenApiDocument } from './docs/openapi';
import { RealtimeIoAdapter } from './realtime/io-adapter';
import { API_PREFIX, configureRouting } from './routing';
import { registerInputLimits } from './input-limits';
import { registerRequestLogging } from './request-logging';
import { registerResponseHeaders } from './security-headers';

export interface CreateAppOptions {
  /** The configuration, parsed once by the caller (`loadConfig`); createApp does not read the environment. */
  config: AppConfig;
  /** Default: the system clock; tests pass one they control. */
  clock?: Clock;
  /** The feature graph; tests may wrap AppModule to add probes. */
  module?: Type<unknown>;
}

/**
 * TRUST_PROXY as Fastify takes it. Fastify refuses a bare hop count (it cannot check the peer), so a
 * count N becomes "trust the N nearest hops": the operator states that N proxies, which overwrite
 * X-Forwarded-For, stand in front of every instance. Addresses/CIDRs are checked by Fastify itself.
 */
function trustProxyOption(value: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address: string, hop: number) => hop < value;
  return value;
}

/**
 * Builds the fully configured application without listening: the same function serves `main.ts`,
 * the end-to-end tests and the benchmark, so what is tested is what runs.
 */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const { http, tasks, storage } = options.config;
  const adapter = new FastifyAdapter({
    bodyLimit: http.bodyLimitBytes,
    trustProxy: trustProxyOption(http.trustProxy),
    genReqId: requestIdFor,
    logger: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 256 },
    // What Fastify and Node refuse before any route runs also answers problem+json.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // Fastify would turn Node's request timeout off (0): a client sending its body a byte at a time
    // could hold a connection for ever. Node checks the timeouts every `connectionsCheckingInterval`.
    requestTimeout: http.requestTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(1_000, http.requestTimeoutMs) },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppRootModule.forRoot(options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.flushLogs();

  app.getHttpServer().headersTimeout = Math.min(60_000, http.requestTimeoutMs);
  const fastify = app.getHttpAdapter().getInstance();
  // The one clock, where the `Meta` decorator finds it (when a request arrived: now less Fastify's
  // elapsed time for it).
  fastify.decorate('clock', app.get(Clock));
  // What passport (and the guard) set on every authenticated request, declared up front so that
  // request objects keep one shape.
  for (const name of ['user', 'authInfo', 'login', 'logIn', 'logout', 'logOut', 'isAuthenticated', 'isUnauthenticated', '_sessionManager']) {
    if (!fastify.hasRequestDecorator(name)) fastify.decorateRequest(name, null);
  }
  registerShutdownGate(fastify, app.get(ShutdownState));
  registerResponseHeaders(fastify, http);
  registerAdminConsole(fastify, { https: http.publicBaseUrl.startsWith('https:') });
  registerRequestLogging(fastify, logger.pino);
  app.get(MetricsService).instrument(fastify);
  registerInputLimits(app, http.bodyLimitBytes);
  // Multipart (uploads) has its own size limit; every other body keeps the 1 MiB limit above.
  await app.register(multipart, { limits: { fileSize: storage.uploadMaxBytes, files: 1, fields: 0, parts: 1, headerPairs: 100 } });
  // Credentials (the refresh cookie of cookie mode) only for the origins CORS_ORIGINS lists by name;
  // the development default "any origin" reflects the origin without them.
  const cors = {
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id', REFRESH_DELIVERY_HEADER],
    exposedHeaders: ['ETag', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id', 'Location'],
    maxAge: 600,
  };
  const credentialed = new Set(Array.isArray(http.corsOrigins) ? http.corsOrigins : []);
  app.enableCors({
    ...cors,
    delegator: (request: { headers: Record<string, string | string[] | undefined> }, callback: (error: Error | null, options: object) => void) => {
      const origin = request.headers.origin;
      const named = typeof origin === 'string' && credentialed.has(origin);
      callback(null, { ...cors, origin: named ? origin : http.corsOrigins === true, credentials: named });
    },
  });

  // After CORS (its onRequest hook has run by preValidation): shed logins before the Nest pipeline.
  app.get(LoginGate).register(fastify, `/${API_PREFIX}`);

  app.useWebSocketAdapter(new RealtimeIoAdapter(app, { corsOrigins: http.corsOrigins, maxMessageBytes: tasks.wsMaxMessageBytes }));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  configureRouting(app);

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Identity and task service — API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true },
  });
  return app;
}
