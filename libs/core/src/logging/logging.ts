import { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import pino, { Level, Logger as Pino } from 'pino';
import type { HttpConfig } from '../config';

/**
 * Parameter names whose values are secrets (emailed links carry tokens), matched on the *decoded*,
 * lower-cased name with everything but letters removed: `token`, `Token`, `%74oken`, `token[]`,
 * `reset_token`, `access-token`, `newPassword`, `otp_code` all match.
 */
const SECRET_NAME = /token|passw|pwd|secret|code|otp|apikey|signature|credential/;

/** `%XX` decoded where valid (a malformed escape stays as written), `+` as a space. */
function decodeLeniently(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

export function isSecretParameter(rawName: string): boolean {
  // Decoded twice: a double-encoded name (`%2574oken`) is still the same word to a reader.
  const name = decodeLeniently(decodeLeniently(rawName)).toLowerCase().replace(/[^a-z]/g, '');
  return SECRET_NAME.test(name);
}

/**
 * The URL as the access log shows it: the path as sent, and each query parameter whose decoded name
 * says it holds a secret with its value replaced by `[Redacted]`. Parameters are split on `&` and `;`
 * (some servers and proxies take either), and a fragment is treated as more parameters.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const start = url.search(/[?#]/);
  if (start === -1) return url;
  const parts = url.slice(start + 1).split(/([&;#])/);
  for (let i = 0; i < parts.length; i += 2) {
    const segment = parts[i];
    const equals = segment.indexOf('=');
    const name = equals === -1 ? segment : segment.slice(0, equals);
    if (equals !== -1) {
      if (isSecretParameter(name)) parts[i] = `${name}=[Redacted]`;
    } else {
      // `to%6Ben%3Dsecret`: a name that decodes to `token=secret` is still a secret to a reader.
      const decoded = decodeLeniently(decodeLeniently(segment));
      const at = decoded.indexOf('=');
      if (at !== -1 && isSecretParameter(decoded.slice(0, at))) parts[i] = '[Redacted]';
    }
  }
  return url.slice(0, start + 1) + parts.join('');
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

/** Whether `pino-pretty` (a devDependency) is installed: a production install (`--omit=dev`) lacks it. */
function prettyInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * The process's one pino logger: JSON lines on stdout (pretty in a development terminal when
 * `pino-pretty` is installed; JSON everywhere else, always in production), secrets
 * redacted, and every line written while a request is served tagged with its `reqId`.
 */
export function createRootLogger(http: Pick<HttpConfig, 'logLevel' | 'env'>, destination?: pino.DestinationStream): Pino {
  const options: pino.LoggerOptions = {
    level: http.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    transport: !destination && http.env === 'development' && process.stdout.isTTY && prettyInstalled() ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
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
