import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  ERROR_CODES,
  ERROR_CODES_EXTENSION,
  ErrorCode,
  ErrorCodeDoc,
  isErrorCode,
  OAUTH_ERRORS_EXTENSION,
  OAuthErrorCase,
  PROBLEM_CONTENT_TYPE,
  ProblemDto,
  problemType,
  statusTitle,
} from '@app/core';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * The tags, in the order Swagger UI shows them, each with what it groups. An operation's tag must be
 * listed here (the OpenAPI test says so when it is not).
 */
export const TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'auth', description: 'Sign-up, sign-in, tokens and sessions: register, log in (JSON or the OAuth2 token endpoint), refresh, log out, one-time codes, email verification, password change and recovery, introspection, the public keys.' },
  { name: 'mfa', description: 'Two-factor authentication: finish a sign-in with a second factor, add and remove authenticator apps, recovery codes.' },
  { name: 'passkeys', description: 'Passkeys (WebAuthn): register a passkey and sign in with one.' },
  { name: 'providers', description: 'Sign-in through external identity providers (OpenID Connect, GitHub) and linked identities.' },
  { name: 'users', description: 'The caller’s own account (/users/me: profile, avatar, deletion) and user administration (users:read, users:write).' },
  { name: 'tasks', description: 'Tasks: create, read, list with filters and cursor paging, change with If-Match versions, delete, and the history of each. Live updates come over Socket.IO (/ws, namespace /tasks).' },
  { name: 'roles', description: 'Roles and the permission catalogue: create, change, activate or deactivate, delete; global or within one application.' },
  { name: 'applications', description: 'Applications (clients): the clientId a sign-in names, the token audience, and the scope of application roles.' },
  { name: 'uploads', description: 'Image uploads, checked from their bytes and re-encoded, and serving uploaded files.' },
  { name: 'notifications', description: 'The notification log: every email and SMS with its delivery status (never its contents).' },
  { name: 'audit', description: 'The audit log of security-relevant events.' },
  { name: 'health', description: 'Liveness and readiness probes.' },
];

/** Builds the OpenAPI document: readable operationIds (the handler's name), schemes, documented errors. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Identity and task service')
    .setDescription(
      'Accounts, login and tokens, sessions, two-factor authentication, roles and permissions, one-time codes, notifications and tasks.\n\n' +
        'Every error is application/problem+json (RFC 9457) with a stable code; each error response lists the codes it can carry, with an example of each. ' +
        'The OAuth2 token endpoint (/api/v1/auth/token) answers errors in the RFC 6749 form { error, error_description } instead. ' +
        'Any request may also be refused before it reaches a route: 408 REQUEST_TIMEOUT (too slow), 414 URI_TOO_LONG, 431 HEADERS_TOO_LARGE, 400 BAD_REQUEST (not HTTP), 400 MALFORMED_URL.',
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
    );
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
    extraModels: [ProblemDto],
  });
  const used = new Set(operationsOf(document).flatMap(({ operation }) => (operation.tags ?? []) as string[]));
  document.tags = [...TAGS.filter((tag) => used.has(tag.name)), ...[...used].filter((name) => !TAGS.some((tag) => tag.name === name)).map((name) => ({ name }))];
  return withRequestExamples(withErrorResponses(document));
}

/** Every operation of the document with its path and method. */
export function operationsOf(document: OpenAPIObject): Array<{ path: string; method: string; operation: Operation }> {
  const out: Array<{ path: string; method: string; operation: Operation }> = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) out.push({ path, method, operation });
    }
  }
  return out;
}

/**
 * The request body Swagger UI's "Try it out" pre-fills, written into the document as the body's
 * `example`: the properties whose schema gives an example (others are left out), nested objects and
 * arrays alike. The e2e test `openapi-examples` sends each one to a running service, unchanged.
 */
function withRequestExamples(document: OpenAPIObject): OpenAPIObject {
  for (const { operation } of operationsOf(document)) {
    for (const [type, media] of Object.entries((operation.requestBody?.content ?? {}) as Record<string, Schema>)) {
      if (type === 'multipart/form-data' || media.example !== undefined || media.examples !== undefined) continue;
      const value = exampleOf(document, media.schema);
      if (value !== undefined) media.example = value;
    }
  }
  return document;
}

export function exampleOf(document: OpenAPIObject, schema: Schema | undefined, depth = 0): unknown {
  if (schema?.example !== undefined) return schema.example;
  const resolved = resolve(document, schema);
  if (!resolved || depth > 8) return undefined;
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.oneOf) return exampleOf(document, resolved.oneOf[0], depth + 1);
  if (resolved.allOf) return Object.assign({}, ...resolved.allOf.map((s: Schema) => exampleOf(document, s, depth + 1) ?? {}));
  if (resolved.type === 'array') {
    const item = exampleOf(document, resolved.items, depth + 1);
    return item === undefined ? undefined : [item];
  }
  if (resolved.properties) {
    const entries = Object.entries(resolved.properties as Record<string, Schema>)
      .map(([name, property]) => [name, exampleOf(document, property, depth + 1)] as const)
      .filter(([, value]) => value !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OpenAPI document walked as free-form JSON
type Operation = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OpenAPI document walked as free-form JSON
type Schema = Record<string, any>;

/** An id for the examples' paths (`instance`). */
const EXAMPLE_ID = '3f6c2a4e-8b1d-4c55-9e2a-7d1f0b9c6a21';

/**
 * Turns the error codes each route declared (`@ApiErrors`, `@Authenticated`, `@RateLimit`) and those
 * every route of its shape can answer into responses: per status, the problem schema with `code` as
 * an enum of that status's codes, a description naming each, and one example per code.
 */
function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      operation.responses ??= {};
      const oauth = operation[OAUTH_ERRORS_EXTENSION] as OAuthErrorCase[] | undefined;
      delete operation[OAUTH_ERRORS_EXTENSION];
      const declared = (operation[ERROR_CODES_EXTENSION] as string[] | undefined) ?? [];
      delete operation[ERROR_CODES_EXTENSION];
      if (oauth) {
        addOAuthResponses(operation, oauth);
        continue;
      }
      const byStatus = new Map<number, ErrorCode[]>();
      for (const entry of new Set([...declared, ...automaticCodes(operation)])) {
        const [code, routeStatus] = entry.split('@');
        if (!isErrorCode(code)) continue;
        const status = routeStatus ? Number(routeStatus) : ERROR_CODES[code].status;
        if (!(byStatus.get(status) ?? []).includes(code)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      }
      const instance = path.replace(/\{[^}]+\}/g, EXAMPLE_ID);
      for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
        list.sort();
        // A response the route documents in another form (the HTML pages of the emailed links) stays beside the problem.
        const other = Object.fromEntries(Object.entries((operation.responses[String(status)]?.content ?? {}) as Record<string, unknown>).filter(([type]) => type === 'text/html'));
        const otherDescription = Object.keys(other).length ? `${operation.responses[String(status)].description as string} Otherwise problem+json: ` : '';
        operation.responses[String(status)] = {
          description: otherDescription + list.map((code) => `${code}: ${ERROR_CODES[code].meaning}`).join('. ') + '.',
          ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer' } } } } : {}),
          content: {
            [PROBLEM_CONTENT_TYPE]: {
              schema: {
                allOf: [
                  { $ref: '#/components/schemas/ProblemDto' },
                  { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: list } } },
                ],
              },
              examples: Object.fromEntries(list.map((code) => [code, { summary: ERROR_CODES[code].meaning, value: example(document, operation, code, instance, status) }])),
            },
            ...other,
          },
        };
      }
    }
  }
  return document;
}

/** What any route of this shape can answer, whatever it does. */
function automaticCodes(operation: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'];
  const parameters = (operation.parameters ?? []) as Array<{ in: string }>;
  if (parameters.some((p) => p.in === 'path')) codes.push('VALIDATION_FAILED', 'INVALID_CHARACTERS');
  if (parameters.some((p) => p.in === 'query')) codes.push('VALIDATION_FAILED', 'INVALID_CHARACTERS', 'JSON_TOO_MANY_ITEMS');
  const content = Object.keys(operation.requestBody?.content ?? {});
  if (content.includes('application/json')) codes.push('VALIDATION_FAILED', 'MALFORMED_JSON', 'JSON_TOO_DEEP', 'JSON_TOO_MANY_ITEMS', 'INVALID_CHARACTERS', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (content.includes('application/x-www-form-urlencoded')) codes.push('VALIDATION_FAILED', 'JSON_TOO_MANY_ITEMS', 'INVALID_CHARACTERS', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (content.includes('multipart/form-data')) codes.push('MALFORMED_MULTIPART', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  return codes;
}

function example(document: OpenAPIObject, operation: Operation, code: ErrorCode, instance: string, status: number): Record<string, unknown> {
  const doc: ErrorCodeDoc = ERROR_CODES[code];
  const extensions: Record<string, unknown> = { ...(doc.extensions ?? {}) };
  if (code === 'VALIDATION_FAILED') {
    const field = firstField(document, operation);
    if (field) extensions.errors = [{ field, message: `${field} is not valid` }];
  }
  return { type: problemType(code), title: statusTitle(status), status, detail: doc.detail, instance, code, ...extensions };
}

/** The first required body field, else the first parameter: what a validation example names. */
function firstField(document: OpenAPIObject, operation: Operation): string | undefined {
  const schema = resolve(document, operation.requestBody?.content?.['application/json']?.schema);
  const required = (schema?.required as string[] | undefined)?.[0] ?? Object.keys(schema?.properties ?? {})[0];
  return required ?? (operation.parameters as Array<{ name: string }> | undefined)?.[0]?.name;
}

export function resolve(document: OpenAPIObject, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let depth = 0; current?.$ref && depth < 10; depth += 1) {
    const name = String(current.$ref).replace('#/components/schemas/', '');
    current = document.components?.schemas?.[name] as Schema | undefined;
  }
  return current;
}

/** RFC 6749 error bodies, per status: `error` as an enum, one example per case. */
function addOAuthResponses(operation: Operation, cases: OAuthErrorCase[]): void {
  const byStatus = new Map<number, OAuthErrorCase[]>();
  for (const c of cases) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    operation.responses[String(status)] = {
      description: list.map((c) => `${c.error}: ${c.meaning}`).join('. ') + '.',
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer' } } } } : {}),
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/OAuthErrorDto' },
              { type: 'object', required: ['error'], properties: { error: { type: 'string', enum: [...new Set(list.map((c) => c.error))] } } },
            ],
          },
          examples: Object.fromEntries(
            list.map((c, i) => [`${c.error}${list.filter((o) => o.error === c.error).length > 1 ? `_${i + 1}` : ''}`, { summary: c.meaning, value: { error: c.error, error_description: c.description, ...(c.extra ?? {}) } }]),
          ),
        },
      },
    };
  }
}
