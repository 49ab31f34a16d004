import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDto } from '@app/core';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** Builds the OpenAPI document: readable operationIds (the handler's name), schemes, problem errors. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Identity and task service')
    .setDescription(
      'Accounts, login and tokens, sessions, roles and permissions, one-time codes, notifications and tasks. ' +
        'Every error is `application/problem+json` (RFC 9457) with a stable `code`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from login or refresh' }, 'bearer')
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'OAuth2 password flow against /api/v1/auth/token (used by the Authorize button)',
        flows: { password: { tokenUrl: '/api/v1/auth/token', refreshUrl: '/api/v1/auth/token', scopes: {} } },
      },
      'oauth2',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
    extraModels: [ProblemDto],
  });
  return withProblemResponses(document);
}

/** Every operation documents 500, and every error response uses the problem+json schema. */
function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  const problemRef = { $ref: '#/components/schemas/ProblemDto' };
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = path[method];
      if (!operation) continue;
      operation.responses ??= {};
      const hasBody = operation.requestBody !== undefined || (operation.parameters ?? []).some((p) => 'in' in p && p.in === 'query');
      if (hasBody && !operation.responses['400']) {
        operation.responses['400'] = { description: 'Invalid request (validation failed or malformed body)' };
      }
      operation.responses['500'] ??= { description: 'Unexpected error' };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || Number(status) < 400 || '$ref' in response) continue;
        response.content = { [PROBLEM_CONTENT_TYPE]: { schema: problemRef } };
      }
    }
  }
  return document;
}
