import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/core';
import { AppRootModule } from '../app.module';
import { configureRouting } from '../routing';
import { buildOpenApiDocument } from './openapi';

/**
 * The OpenAPI document without a database: Nest's preview mode resolves the module graph and routes
 * without instantiating providers. Used by `npm run sdk` and by the test that checks the committed
 * spec is current.
 */
export async function buildOpenApiDocumentOffline(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppRootModule.forRoot({ config: loadConfig({ NODE_ENV: 'test' }) }), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  configureRouting(app);
  const document = buildOpenApiDocument(app);
  await app.close();
  return sortKeys(document) as OpenAPIObject;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
