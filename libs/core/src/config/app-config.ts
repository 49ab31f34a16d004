import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { EnvReader } from './env-reader';
import { parseProviders, ProvidersConfig } from './providers-config';

export type NodeEnv = 'development' | 'production' | 'test';

export interface HttpConfig {
  env: NodeEnv;
  host: string;
  port: number;
  publicBaseUrl: string;
  /** `PRODUCT_NAME`: shown on the hosted pages (titles, headings). */
  productName: string;
  /**
   * `REDIRECT_ALLOWLIST`: origins (`https://app.example.com`) or URL prefixes (`https://app.example.com/auth/`)
   * a `redirectTo` of the email flows may point to; empty: no `redirectTo` is accepted.
   */
  redirectAllowlist: string[];
  /** `true` reflects any origin (development); a list allows exactly those; empty allows none. */
  corsOrigins: true | string[];
  /**
   * `REFRESH_COOKIE_SECURE` (`auto`, `true`, `false`): whether the refresh-token cookie (cookie mode,
   * docs/sdk.md) carries `Secure`. `auto`: yes in production, when PUBLIC_BASE_URL is https, or when its
   * host is a loopback name (browsers keep Secure cookies from http://localhost); no for plain http on
   * another host outside production (a browser would silently drop a Secure cookie there).
   */
  refreshCookieSecure: boolean;
  /** Passed to Fastify's `trustProxy`: false, a hop count or a list of addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  bodyLimitBytes: number;
  /**
   * `HTTP_REQUEST_TIMEOUT_MS`: the whole request (headers and body) must arrive within this time, else
   * 408 and the connection closes; headers within the same or 60 s, whichever is shorter. Slow clients
   * (slowloris, slow bodies) cannot hold connections longer.
   */
  requestTimeoutMs: number;
  /** After SIGTERM: how long readiness answers 503 before the server stops accepting (load balancers notice). */
  shutdownDelayMs: number;
  /** After SIGTERM: the longest the whole shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  logLevel: string;
  benchMode: boolean;
  /** Bearer token `GET /metrics` requires wherever it is served; absent: no token. */
  metricsToken?: string;
  /** Serve `/metrics` only on this separate management listener (not on `port`); absent: on the main port. */
  metricsPort?: number;
  metricsHost: string;
}

export interface DatabaseConfig {
  /** Absent: an embedded Postgres under `${dataDir}/pg`. */
  url?: string;
  dataDir: string;
  migrationsRun: boolean;
  poolSize: number;
  statementTimeoutMs: number;
  /** Longest wait for a connection (a new one, or a free one from the pool) before the request gets 503. */
  connectTimeoutMs: number;
  logQueries: boolean;
}

export interface AuthConfig {
  issuer: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  sessionMaxAge: number;
  refreshReuseGraceSeconds: number;
  loginMaxFailures: number;
  /** JSON `[{ kid, privateKey }]` (PEM, PKCS#8) — the first signs, all verify. Absent in development: keys under DATA_DIR. */
  signingKeys?: string;
  keysDir: string;
  adminEmail?: string;
  adminPassword?: string;
  adminUsername: string;
  /** First lock after `loginMaxFailures`; doubles with each further failure, capped at an hour. */
  lockoutSeconds: number;
  /** Requests per minute per IP on each sensitive endpoint (login, token, register, OTP, forgot). */
  rateLimitPerMinute: number;
  cleanupIntervalSeconds: number;
  /** Concurrent password hashes allowed; further logins are shed with 503 + Retry-After. */
  hashConcurrency: number;
  hashQueueLimit: number;
  /** `/auth/register` needs the verificationToken of a verified `register` code for the phone. */
  registrationRequirePhoneOtp: boolean;
  /** Keys one-time-code hashes and seals message contents in the delivery queue. Absent in development: a key under DATA_DIR. */
  appSecret?: string;
  /** Lifetime of an mfaToken (seconds) and wrong second-factor codes allowed per mfaToken. */
  mfaTokenTtl: number;
  mfaMaxAttempts: number;
  /** `WEBAUTHN_RP_ID`: the passkeys' relying party id (a host name); default the host of PUBLIC_BASE_URL. */
  webauthnRpId: string;
  /**
   * `WEBAUTHN_ORIGINS`: the origins a passkey ceremony may come from (clientDataJSON.origin); default
   * the origin of PUBLIC_BASE_URL plus the listed CORS_ORIGINS (never "any": `CORS_ORIGINS=*` adds none).
   */
  webauthnOrigins: string[];
  /** The relying party's name shown by authenticators when a passkey is created (PRODUCT_NAME). */
  webauthnRpName: string;
}

export interface OtpConfig {
  ttlSeconds: number;
  maxAttempts: number;
  resendSeconds: number;
  /** Codes sent per destination in any 24 hours. */
  dailyLimit: number;
  /** Fixed codes for listed test destinations (never in production), keyed by normalised destination. */
  testDestinations: Record<string, string>;
}

export interface NotificationsConfig {
  /** Absent: emails are logged (without their secrets), not sent. */
  smtpUrl?: string;
  mailFrom: string;
  smsProvider: 'log' | 'twilio';
  twilio: { accountSid?: string; authToken?: string; from?: string; baseUrl: string };
  /** Retries after the first attempt, with exponential backoff from `retryDelaySeconds`. */
  retryLimit: number;
  retryDelaySeconds: number;
  pollIntervalMs: number;
  /** How long one delivery attempt may run before the queue gives up on it (and retries, or fails the message). */
  attemptTimeoutSeconds: number;
}

/** Tasks and their real-time feed (Socket.IO at `/ws`, namespace `/tasks`). */
export interface TasksConfig {
  /** Largest client → server Socket.IO message; a bigger one closes the connection. */
  wsMaxMessageBytes: number;
  /** Client messages per socket per minute; beyond that they are dropped. */
  wsRateLimitPerMinute: number;
  /** Open sockets one user may hold on one instance; the next handshake is refused. */
  wsMaxSocketsPerUser: number;
  /** Most events one `resume` replays. */
  resumeMaxEvents: number;
  /** Task events (history, replay) older than this many days are deleted by the cleanup job. */
  eventRetentionDays: number;
}

export interface StorageConfig {
  driver: 'local' | 's3';
  /** Local driver: files live here (`DATA_DIR/uploads`). */
  uploadsDir: string;
  /** Largest accepted upload, in bytes (larger → 413). */
  uploadMaxBytes: number;
  /** Largest accepted image, in pixels (width × height): a guard against decompression bombs. */
  uploadMaxPixels: number;
  /** Uploads (images and avatars) per user per minute, shared by all instances. */
  uploadRateLimit: number;
  /** Images decoded and re-encoded at once per instance, and how many more may wait (beyond: 503 UPLOAD_BUSY). */
  uploadDecodeConcurrency: number;
  uploadDecodeQueue: number;
  s3: { endpoint?: string; bucket?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
}

export interface AppConfig {
  providers: ProvidersConfig;
  http: HttpConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
  tasks: TasksConfig;
  otp: OtpConfig;
  notifications: NotificationsConfig;
  storage: StorageConfig;
}

export interface ConfigResult {
  config: AppConfig;
  problems: string[];
}

/** Options that only make sense on a developer's machine; production refuses to start with them. */
export const DEV_ONLY_OPTIONS = ['OTP_TEST_DESTINATIONS'] as const;

/**
 * Reads and validates the whole configuration from an environment map. Pure: the app, `ormconfig.ts`
 * and the CLI all call it, so there is one source of truth for names, defaults and rules.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf<NodeEnv>('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const dataDir = resolve(r.string('DATA_DIR', '.data'));
  const port = r.int('PORT', 3000, { min: 0, max: 65535 });
  const publicBaseUrl = r.url('PUBLIC_BASE_URL', `http://localhost:${port || 3000}`, ['http', 'https']).replace(/\/+$/, '');

  const corsList = r.list('CORS_ORIGINS');
  let corsOrigins: true | string[];
  if (corsList === undefined) corsOrigins = production ? [] : true;
  else if (corsList.length === 1 && corsList[0] === '*') {
    if (production) r.problem('CORS_ORIGINS=* is not allowed in production; list the origins');
    corsOrigins = true;
  } else {
    for (const origin of corsList) {
      try {
        const u = new URL(origin);
        if (u.origin !== origin) r.problem(`CORS_ORIGINS entry "${origin}" must be an origin such as https://app.example.com`);
      } catch {
        r.problem(`CORS_ORIGINS entry "${origin}" is not a URL origin`);
      }
    }
    corsOrigins = corsList;
  }

  const redirectAllowlist = r.list('REDIRECT_ALLOWLIST') ?? [];
  for (const entry of redirectAllowlist) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
      r.problem(`REDIRECT_ALLOWLIST entry "${entry}" must be an http(s) origin or URL prefix without query or fragment`);
    }
  }

  const http: HttpConfig = {
    env: nodeEnv,
    host: r.string('HOST', '0.0.0.0'),
    port,
    publicBaseUrl,
    productName: r.string('PRODUCT_NAME', 'Identity'),
    redirectAllowlist,
    corsOrigins,
    refreshCookieSecure: refreshCookieSecure(r, production, publicBaseUrl),
    trustProxy: parseTrustProxy(r),
    bodyLimitBytes: 1024 * 1024,
    requestTimeoutMs: r.int('HTTP_REQUEST_TIMEOUT_MS', 60_000, { min: 500, max: 3_600_000 }),
    shutdownDelayMs: r.int('SHUTDOWN_DELAY_MS', 0, { min: 0, max: 60_000 }),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 15_000, { min: 1000, max: 300_000 }),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], nodeEnv === 'test' ? 'warn' : 'info'),
    benchMode: r.bool('BENCH_MODE', false),
    metricsToken: r.string('METRICS_TOKEN'),
    metricsPort: r.has('METRICS_PORT') ? r.int('METRICS_PORT', 0, { min: 0, max: 65535 }) : undefined,
    metricsHost: r.string('METRICS_HOST', r.string('HOST', '0.0.0.0')),
  };
  if (http.metricsToken !== undefined && http.metricsToken.length < 16) r.problem('METRICS_TOKEN must be at least 16 characters');
  if (http.metricsPort !== undefined && http.metricsPort !== 0 && http.metricsPort === port) r.problem('METRICS_PORT must differ from PORT');

  const database: DatabaseConfig = {
    url: r.url('DATABASE_URL', undefined, ['postgres', 'postgresql']),
    dataDir,
    migrationsRun: r.bool('MIGRATIONS_RUN', true),
    poolSize: r.int('DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
    statementTimeoutMs: r.int('DATABASE_STATEMENT_TIMEOUT_MS', 30_000, { min: 0 }),
    connectTimeoutMs: r.int('DATABASE_CONNECT_TIMEOUT_MS', 5_000, { min: 100, max: 120_000 }),
    logQueries: r.bool('DATABASE_LOG_QUERIES', false),
  };

  let signingKeys = r.string('JWT_SIGNING_KEYS');
  const keysFile = r.string('JWT_SIGNING_KEYS_FILE');
  if (keysFile !== undefined) {
    if (signingKeys !== undefined) r.problem('set JWT_SIGNING_KEYS or JWT_SIGNING_KEYS_FILE, not both');
    try {
      signingKeys = readFileSync(keysFile, 'utf8');
    } catch {
      r.problem(`JWT_SIGNING_KEYS_FILE "${keysFile}" cannot be read`);
    }
  }

  const auth: AuthConfig = {
    issuer: r.string('JWT_ISSUER', publicBaseUrl),
    accessTokenTtl: r.int('ACCESS_TOKEN_TTL', 900, { min: 30, max: 86_400 }),
    refreshTokenTtl: r.int('REFRESH_TOKEN_TTL', 2_592_000, { min: 60 }),
    sessionMaxAge: r.int('SESSION_MAX_AGE', 7_776_000, { min: 60 }),
    refreshReuseGraceSeconds: r.int('REFRESH_REUSE_GRACE_SECONDS', 10, { min: 0, max: 300 }),
    loginMaxFailures: r.int('LOGIN_MAX_FAILURES', 10, { min: 1, max: 1000 }),
    signingKeys,
    keysDir: resolve(dataDir, 'keys'),
    adminEmail: r.string('ADMIN_EMAIL'),
    adminPassword: r.string('ADMIN_PASSWORD'),
    adminUsername: r.string('ADMIN_USERNAME', 'admin'),
    lockoutSeconds: r.int('LOGIN_LOCKOUT_SECONDS', 60, { min: 1, max: 3600 }),
    rateLimitPerMinute: r.int('AUTH_RATE_LIMIT', 20, { min: 1, max: 1_000_000 }),
    cleanupIntervalSeconds: r.int('CLEANUP_INTERVAL', 600, { min: 1 }),
    hashConcurrency: r.int('PASSWORD_HASH_CONCURRENCY', availableParallelism(), { min: 1, max: 64 }),
    hashQueueLimit: r.int('PASSWORD_HASH_QUEUE', 32, { min: 0, max: 10_000 }),
    registrationRequirePhoneOtp: r.bool('REGISTRATION_REQUIRE_PHONE_OTP', false),
    appSecret: r.string('APP_SECRET'),
    mfaTokenTtl: r.int('MFA_TOKEN_TTL', 300, { min: 30, max: 3600 }),
    mfaMaxAttempts: r.int('MFA_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
    ...webauthnSettings(r, publicBaseUrl, corsOrigins, http.productName),
  };
  if (auth.appSecret !== undefined && auth.appSecret.length < 32) r.problem('APP_SECRET must be at least 32 characters');

  const otp: OtpConfig = {
    ttlSeconds: r.int('OTP_TTL_SECONDS', 120, { min: 1, max: 86_400 }),
    maxAttempts: r.int('OTP_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
    resendSeconds: r.int('OTP_RESEND_SECONDS', 60, { min: 0, max: 86_400 }),
    dailyLimit: r.int('OTP_DAILY_LIMIT', 10, { min: 1, max: 10_000 }),
    testDestinations: parseTestDestinations(r),
  };

  const notifications: NotificationsConfig = {
    smtpUrl: r.url('SMTP_URL', undefined, ['smtp', 'smtps']),
    mailFrom: r.string('MAIL_FROM', 'no-reply@localhost'),
    smsProvider: r.oneOf('SMS_PROVIDER', ['log', 'twilio'], 'log'),
    twilio: {
      accountSid: r.string('TWILIO_ACCOUNT_SID'),
      authToken: r.string('TWILIO_AUTH_TOKEN'),
      from: r.string('TWILIO_FROM'),
      baseUrl: r.url('TWILIO_BASE_URL', 'https://api.twilio.com', ['http', 'https']).replace(/\/+$/, ''),
    },
    retryLimit: r.int('NOTIFICATION_RETRY_LIMIT', 8, { min: 0, max: 100 }),
    retryDelaySeconds: r.int('NOTIFICATION_RETRY_DELAY', 5, { min: 1, max: 3600 }),
    pollIntervalMs: r.int('NOTIFICATION_POLL_INTERVAL_MS', 2000, { min: 500, max: 60_000 }),
    attemptTimeoutSeconds: r.int('NOTIFICATION_ATTEMPT_TIMEOUT', 120, { min: 1, max: 3600 }),
  };
  if (notifications.smsProvider === 'twilio') {
    for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']) {
      if (!r.has(name)) r.problem(`${name} is required when SMS_PROVIDER=twilio`);
    }
  }

  const tasks: TasksConfig = {
    wsMaxMessageBytes: r.int('WS_MAX_MESSAGE_BYTES', 16_384, { min: 256, max: 1024 * 1024 }),
    wsRateLimitPerMinute: r.int('WS_RATE_LIMIT', 120, { min: 1, max: 1_000_000 }),
    wsMaxSocketsPerUser: r.int('WS_MAX_SOCKETS_PER_USER', 20, { min: 1, max: 10_000 }),
    resumeMaxEvents: r.int('TASK_RESUME_MAX_EVENTS', 500, { min: 1, max: 10_000 }),
    eventRetentionDays: r.int('TASK_EVENT_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
  };

  const storage: StorageConfig = {
    driver: r.oneOf<'local' | 's3'>('STORAGE_DRIVER', ['local', 's3'], 'local'),
    uploadsDir: resolve(dataDir, 'uploads'),
    uploadMaxBytes: r.int('UPLOAD_MAX_BYTES', 5 * 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
    uploadMaxPixels: r.int('UPLOAD_MAX_PIXELS', 40_000_000, { min: 1, max: 1_000_000_000 }),
    uploadRateLimit: r.int('UPLOAD_RATE_LIMIT', 10, { min: 1, max: 1_000_000 }),
    uploadDecodeConcurrency: r.int('UPLOAD_DECODE_CONCURRENCY', 1, { min: 1, max: 64 }),
    uploadDecodeQueue: r.int('UPLOAD_DECODE_QUEUE', 4, { min: 0, max: 1000 }),
    s3: {
      endpoint: r.url('S3_ENDPOINT', undefined, ['http', 'https']),
      bucket: r.string('S3_BUCKET'),
      region: r.string('S3_REGION', 'us-east-1'),
      accessKeyId: r.string('S3_ACCESS_KEY_ID'),
      secretAccessKey: r.string('S3_SECRET_ACCESS_KEY'),
      forcePathStyle: r.bool('S3_FORCE_PATH_STYLE', true),
    },
  };
  if (storage.driver === 's3' && !storage.s3.bucket) r.problem('S3_BUCKET is required when STORAGE_DRIVER=s3');
  if ((storage.s3.accessKeyId === undefined) !== (storage.s3.secretAccessKey === undefined)) {
    r.problem('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }

  const providers: ProvidersConfig = {
    providers: parseProviders(r, production),
    flowTtlSeconds: r.int('PROVIDER_FLOW_TTL', 600, { min: 30, max: 3600 }),
    codeTtlSeconds: 60,
    metadataTtlSeconds: r.int('PROVIDER_METADATA_TTL', 86_400, { min: 60, max: 604_800 }),
  };

  if (production) {
    if (database.url === undefined) r.problem('DATABASE_URL is required in production (the embedded Postgres is for development)');
    if (auth.signingKeys === undefined) r.problem('JWT_SIGNING_KEYS or JWT_SIGNING_KEYS_FILE is required in production (development keys under DATA_DIR are not used)');
    if (auth.appSecret === undefined) r.problem('APP_SECRET is required in production (the development key under DATA_DIR is not used)');
    for (const name of DEV_ONLY_OPTIONS) {
      if (r.has(name)) r.problem(`${name} is a development-only option and must not be set in production`);
    }
    if (http.metricsToken === undefined && http.metricsPort === undefined) {
      r.problem('METRICS_TOKEN or METRICS_PORT is required in production (otherwise /metrics is public on the API port)');
    }
    if (http.benchMode && env.BENCH_ALLOW_PRODUCTION !== '1') r.problem('BENCH_MODE is a development-only option and must not be set in production');
  }
  if ((auth.adminEmail === undefined) !== (auth.adminPassword === undefined)) {
    r.problem('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }

  return { config: { http, database, auth, otp, notifications, tasks, storage, providers }, problems: r.problems };
}

/** `dest=code,...`: destinations as a person writes them (emails lower-cased, phones E.164), six-digit codes. */
function parseTestDestinations(r: EnvReader): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of r.list('OTP_TEST_DESTINATIONS') ?? []) {
    const at = entry.lastIndexOf('=');
    const destination = at > 0 ? entry.slice(0, at).trim() : '';
    const code = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!destination || !/^\d{6}$/.test(code)) {
      r.problem(`OTP_TEST_DESTINATIONS entry "${entry}" must be destination=six-digit-code`);
      continue;
    }
    out[destination.includes('@') ? destination.toLowerCase() : destination.replace(/[\s().-]/g, '')] = code;
  }
  return out;
}

const LOOPBACK_HOSTS = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function refreshCookieSecure(r: EnvReader, production: boolean, publicBaseUrl: string): boolean {
  const mode = r.oneOf('REFRESH_COOKIE_SECURE', ['auto', 'true', 'false'], 'auto');
  if (mode === 'false' && production) r.problem('REFRESH_COOKIE_SECURE=false is not allowed in production');
  if (mode !== 'auto') return mode === 'true';
  const url = new URL(publicBaseUrl);
  return production || url.protocol === 'https:' || LOOPBACK_HOSTS.test(url.hostname);
}

function parseTrustProxy(r: EnvReader): boolean | number | string[] {
  const raw = r.raw('TRUST_PROXY');
  if (raw === undefined || ['false', 'off', '0', 'no'].includes(raw.toLowerCase())) return false;
  if (['true', 'on', 'yes'].includes(raw.toLowerCase())) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads the configuration and throws one error naming every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const { config, problems } = readConfig(env);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

/** A host name usable as a WebAuthn RP ID: letters, digits, dots and dashes, no scheme or port. */
const RP_ID = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Passkey settings: the relying party (WEBAUTHN_RP_ID, default the host of PUBLIC_BASE_URL) and the
 * accepted origins (WEBAUTHN_ORIGINS, default PUBLIC_BASE_URL's origin plus CORS_ORIGINS). Explicit
 * http(s) origins must be the RP ID's host or one of its subdomains (browsers refuse anything else);
 * `android:apk-key-hash:` origins (native Android apps) are accepted as they are.
 */
function webauthnSettings(
  r: EnvReader,
  publicBaseUrl: string,
  corsOrigins: true | string[],
  productName: string,
): Pick<AuthConfig, 'webauthnRpId' | 'webauthnOrigins' | 'webauthnRpName'> {
  const base = new URL(publicBaseUrl);
  const rpId = (r.string('WEBAUTHN_RP_ID') ?? base.hostname).toLowerCase();
  if (!RP_ID.test(rpId)) r.problem(`WEBAUTHN_RP_ID "${rpId}" must be a host name such as example.com (no scheme, port or path)`);
  const explicit = r.list('WEBAUTHN_ORIGINS');
  if (explicit === undefined) {
    const origins = [base.origin, ...(corsOrigins === true ? [] : corsOrigins)];
    return { webauthnRpId: rpId, webauthnOrigins: [...new Set(origins)], webauthnRpName: productName };
  }
  if (explicit.length === 0) r.problem('WEBAUTHN_ORIGINS must list at least one origin');
  for (const origin of explicit) {
    if (origin.startsWith('android:apk-key-hash:')) continue;
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || url.origin !== origin || !['http:', 'https:'].includes(url.protocol)) {
      r.problem(`WEBAUTHN_ORIGINS entry "${origin}" must be an origin such as https://app.example.com`);
    } else if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
      r.problem(`WEBAUTHN_ORIGINS entry "${origin}" is not on WEBAUTHN_RP_ID "${rpId}" or a subdomain of it`);
    }
  }
  return { webauthnRpId: rpId, webauthnOrigins: [...new Set(explicit)], webauthnRpName: productName };
}
