import type { RawServerDefault } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { assertCleanInput, assertJsonShape } from '@app/core';

/**
 * Bounds raw input before Nest (class-transformer, validation, handlers) sees it:
 *
 * - JSON bodies: a linear pre-scan of the bytes refuses nesting deeper than 32 levels and arrays or
 *   objects with more than 1 000 entries (400 `JSON_TOO_DEEP` / `JSON_TOO_MANY_ITEMS`); only then
 *   does `JSON.parse` run (Fastify's parser, with its prototype-poisoning checks).
 * - Every query string, route parameter and parsed body (JSON or form): control characters other
 *   than tab/CR/LF, and unpaired UTF-16 surrogates, are refused in any key or string
 *   (400 `INVALID_CHARACTERS`), and so are repeated parameters beyond the entry limit.
 *
 * The checks run for every route, public or not, before guards: they cost O(size of the input).
 */
export function registerInputLimits(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    assertJsonShape(body);
    // Fastify's parser takes the raw buffer as well (its type says string).
    parseJson(request, body as unknown as string, done);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertCleanInput(request.query, 'query');
      assertCleanInput(request.params, 'path');
      assertCleanInput(request.body, 'body');
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
