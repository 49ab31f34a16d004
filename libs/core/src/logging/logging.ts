import { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import pino, { Level, Logger as Pino } from 'pino';
import type { HttpConfig } from '../config';

/** Query parameters whose values are secrets (emailed links carry tokens). */
const SECRET_QUERY = /([?&](?:token|code|access_token|refresh_token|password)=)[^&#]*/gi;

export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[Redacted]');
}

/** Paths pino blanks in every log line: credentials never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.verificationToken',
  '*.code',
  '*.otp',
  '*.secret',
  '*.privateKey',
];

/** The request being served, for the log lines written while serving it. */
export interface RequestLogContext {
  reqId: string;
}

/** Set by the HTTP layer around each request's handling (see `registerRequestLogging`). */
export const requestLogContext = new AsyncLocalStorage<RequestLogContext>();

/** What the access log says of a request: never headers or bodies, the URL with secrets blanked. */
export function requestSummary(req: IncomingMessage & { id?: string }) {
  return {
    id: req.id,
    method: req.method,
    url: redactUrl(req.url),
    remoteAddress: req.socket?.remoteAddress,
    userAgent: req.headers?.['user-agent'],
  };
}

/**
 * The process's one pino logger: JSON lines on stdout (pretty in a development terminal), secrets
 * redacted, and every line written while a request is served tagged with its `reqId`.
 */
export function createRootLogger(http: Pick<HttpConfig, 'logLevel' | 'env'>, destination?: pino.DestinationStream): Pino {
  const options: pino.LoggerOptions = {
    level: http.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    transport: !destination && http.env === 'development' && process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    mixin: () => {
      const context = requestLogContext.getStore();
      return context ? { reqId: context.reqId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

type NestLevel = 'verbose' | 'debug' | 'log' | 'warn' | 'error' | 'fatal';
const LEVELS: Record<NestLevel, Level> = { verbose: 'trace', debug: 'debug', log: 'info', warn: 'warn', error: 'error', fatal: 'fatal' };

/**
 * Nest's logger interface over pino. Nest calls `log(message, context)`, and its exception
 * handlers `error(message, stack, context)`; objects are merged into the line, errors go to `err`.
 */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: NestLevel, message: unknown, params: unknown[]): void {
    const level = LEVELS[nestLevel];
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    // Nest passes the context (the class name) last.
    if (params.length > 0 && typeof params[params.length - 1] === 'string') fields.context = params.pop();
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.pino[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : undefined);
    } else if (nestLevel === 'error' && typeof params[0] === 'string' && params[0].includes('\n')) {
      // The exception handlers' contract: error(message, stack, context).
      const err = new Error(String(message));
      err.stack = params[0];
      this.pino.error({ ...fields, err }, String(message));
    } else {
      this.pino[level](fields, String(message), ...params);
    }
  }
}
