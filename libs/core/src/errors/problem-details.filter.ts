import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { DomainError, DomainErrorKind } from './domain-error';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType, statusTitle } from './problem-details';

const KIND_STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** Stable codes for failures that come from the framework rather than from a use case. */
const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than allowed' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The request body is empty but the content type is JSON' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'This content type is not accepted' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', detail: 'The Content-Length header does not match the body' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The uploaded file is larger than allowed' },
  FST_FILES_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'Too many files in the request' },
  FST_PARTS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'Too many parts in the request' },
  FST_ERR_BAD_URL: { status: 400, code: 'MALFORMED_URL', detail: 'The URL is not validly percent-encoded' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG', detail: 'A path parameter is longer than allowed' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'The request is not multipart/form-data' },
};

interface Mapped {
  status: number;
  code: string;
  detail: string;
  errors?: ProblemDetails['errors'];
  extensions?: Record<string, unknown>;
  retryAfterSeconds?: number;
  unexpected?: boolean;
}

/**
 * The one place where failures become HTTP: every error leaves as `application/problem+json`
 * (RFC 9457) with a stable `code`. Unexpected errors are logged with the request id and answered with
 * a body that carries no stack trace or internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const mapped = mapException(exception);
    if (mapped.unexpected) {
      this.logger.error({ msg: 'Unexpected error', reqId: request?.id, err: exception instanceof Error ? { type: exception.name, message: exception.message, stack: exception.stack } : String(exception) });
    }
    if (reply.sent) return;
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(Math.max(1, Math.ceil(mapped.retryAfterSeconds))));
    reply.header('Cache-Control', 'no-store');
    if (routeConfig(request)?.errorFormat === OAUTH2_ERROR_FORMAT.errorFormat) {
      reply.status(mapped.status).type('application/json').send({ error: oauthErrorFor(mapped.status), error_description: mapped.detail });
      return;
    }
    const body: ProblemDetails = {
      ...(mapped.extensions ?? {}),
      type: problemType(mapped.code),
      title: statusTitle(mapped.status),
      status: mapped.status,
      detail: mapped.detail,
      instance: instanceOf(request),
      code: mapped.code,
    };
    if (mapped.errors) body.errors = mapped.errors;
    if (mapped.status === 401 && !reply.getHeader('www-authenticate')) {
      reply.header('WWW-Authenticate', mapped.code === 'UNAUTHENTICATED' ? 'Bearer' : `Bearer error="invalid_token"`);
    }
    reply.status(mapped.status).type(PROBLEM_CONTENT_TYPE).send(body);
  }
}

/**
 * Route config (Nest's `@RouteConfig(OAUTH2_ERROR_FORMAT)`) for endpoints that speak OAuth 2.0
 * (RFC 6749 §5.2): every failure the framework raises there (refused input, rate limits) is written as
 * `{ error, error_description }` instead of a problem document.
 */
export const OAUTH2_ERROR_FORMAT = { errorFormat: 'oauth2' } as const;

function routeConfig(request: FastifyRequest | undefined): { errorFormat?: string } | undefined {
  return request?.routeOptions?.config as { errorFormat?: string } | undefined;
}

function oauthErrorFor(status: number): string {
  if (status >= 500) return status === 503 ? 'temporarily_unavailable' : 'server_error';
  if (status === 401) return 'invalid_client';
  return 'invalid_request';
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any hook or Nest runs (a URL that is
 * not validly percent-encoded, an over-long path parameter) leaves as problem+json like the rest.
 */
export function frameworkErrorHandler(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, code, detail } = mapException(error);
  const body: ProblemDetails = { type: problemType(code), title: statusTitle(status), status, detail, instance: instanceOf(request), code };
  reply.header('Cache-Control', 'no-store');
  reply.status(status).type(PROBLEM_CONTENT_TYPE).send(body);
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', detail: 'The request line and headers are larger than allowed' },
};

/**
 * Node's `clientError` (Fastify's `clientErrorHandler`): a request that is not even valid HTTP, too
 * large a head, or too slow a client. There is no request object yet, so the answer is written to the
 * socket, as problem+json, and the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, code: 'BAD_REQUEST', detail: 'The request is not valid HTTP' };
  const body = JSON.stringify({ type: problemType(known.code), title: statusTitle(known.status), status: known.status, detail: known.detail, instance: '/', code: known.code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${statusTitle(known.status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function instanceOf(request: FastifyRequest | undefined): string {
  const url = request?.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The domain error a failure is, or wraps: an adapter may raise one deep down (the database driver's
 * DatabaseUnavailableError) and a library wrap it on the way up (TypeORM's QueryFailedError keeps it
 * as `driverError`; standard errors keep theirs as `cause`). Its kind decides, wherever it was raised.
 */
function domainErrorIn(exception: unknown): DomainError | undefined {
  let current = exception;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    if (current instanceof DomainError) return current;
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return undefined;
}

export function mapException(exception: unknown): Mapped {
  exception = domainErrorIn(exception) ?? exception;
  if (exception instanceof DomainError) {
    return {
      status: KIND_STATUS[exception.kind],
      code: exception.code,
      detail: exception.message,
      errors: exception.errors,
      extensions: exception.extensions,
      retryAfterSeconds: exception.retryAfterSeconds,
    };
  }
  const fastifyCode = fastifyCodeOf(exception) ?? fastifyCodeOf(exception instanceof HttpException ? exception.cause : undefined);
  if (fastifyCode) {
    const known = FASTIFY_CODES[fastifyCode];
    return { status: known.status, code: known.code, detail: known.detail };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let detail = exception.message;
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const message = (response as { message: unknown }).message;
      if (typeof message === 'string') detail = message;
    }
    if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(detail)) {
      return { status, code: 'ROUTE_NOT_FOUND', detail: 'No route matches this method and path' };
    }
    if (status === HttpStatus.SERVICE_UNAVAILABLE && typeof response === 'object' && response !== null && 'details' in response) {
      // A failed health check: say which checks failed, nothing more.
      return { status, code: 'NOT_READY', detail: 'The service is not ready', extensions: { checks: (response as { details: unknown }).details } };
    }
    if (status === HttpStatus.TOO_MANY_REQUESTS) {
      return { status, code: 'RATE_LIMITED', detail: 'Too many requests; slow down' };
    }
    return { status, code: STATUS_CODES[status] ?? `HTTP_${status}`, detail, unexpected: status >= 500 };
  }
  if (exception instanceof SyntaxError && (exception as { statusCode?: number }).statusCode === 400) {
    return { status: 400, code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON' };
  }
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: STATUS_CODES[statusCode] ?? `HTTP_${statusCode}`, detail: statusTitle(statusCode) };
  }
  return { status: 500, code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred; it has been logged', unexpected: true };
}

function fastifyCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code in FASTIFY_CODES ? code : undefined;
}
