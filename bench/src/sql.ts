/**
 * Every SQL statement the benchmark runs itself — to seed data and in the baseline server — kept in
 * one place so that it can be aligned with the application's real queries when they change.
 *
 * The users and refresh-token statements mirror what the app sends today (TypeORM's
 * `findOneBy({ id })`, the rotation in `RefreshTokensUseCase`), and so do the tasks statements
 * (`TypeormTaskRepository.list/insert`, `PgTaskEventLog.append`: priority stored as a rank 0–3, the
 * event log `task_events` written under its ordering lock and announced with NOTIFY).
 */

import { roleNamesExpression } from '@app/access/infrastructure/role-assignments';

// ----- users (scenario 2) ---------------------------------------------------------------------------

/** What `UserRepository.findById` sends: a primary-key read of every column. */
export const USER_BY_ID = `SELECT "id", "username", "email", "phone", "first_name", "last_name", "password_hash", "status",
  "email_verified_at", "phone_verified_at", "avatar_key", "created_at", "updated_at"
  FROM "users" WHERE "id" = $1 LIMIT 1`;

/**
 * `count` active users `bench_<n>` (n from 0), all with the same argon2id hash (one password; hashing
 * a thousand of them would only slow the seeding down), each holding the system role `user`.
 */
export const SEED_USERS = `
  WITH created AS (
    INSERT INTO users (username, email, password_hash, status, email_verified_at)
    SELECT 'bench_' || n, 'bench_' || n || '@bench.test', $2, 'active', now()
    FROM generate_series(0, $1::int - 1) AS n
    RETURNING id
  )
  INSERT INTO user_roles (user_id, role_id)
  SELECT created.id, roles.id FROM created, roles WHERE roles.system AND roles.application_id IS NULL AND roles.name = 'user'`;

export const BENCH_USERS = `SELECT id, username FROM users WHERE username LIKE 'bench\\_%' ORDER BY (substring(username from 7))::int`;

// ----- sessions and refresh tokens (scenarios 6 and 8) ----------------------------------------------

/** One live session per (user, slot), in the default application; returns the ids in input order. */
export const SEED_SESSIONS = `
  INSERT INTO sessions (user_id, client_id, ip, user_agent, expires_at)
  SELECT u, 'default', '127.0.0.1', 'bench', now() + interval '90 days'
  FROM unnest($1::uuid[]) WITH ORDINALITY AS t(u, i)
  ORDER BY i
  RETURNING id`;

/** Live refresh tokens: `hashes[i]` (SHA-256 of the token) bound to `sessions[i]`. */
export const SEED_REFRESH_TOKENS = `
  INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
  SELECT s, h, now() + interval '30 days' FROM unnest($1::uuid[], $2::bytea[]) AS t(s, h)`;

/**
 * `$1` expired refresh tokens spread over the given live sessions (the cleanup job must delete them
 * and nothing else). Random 32-byte hashes, as real ones would be.
 */
export const SEED_EXPIRED_REFRESH_TOKENS = `
  INSERT INTO refresh_tokens (session_id, token_hash, created_at, expires_at)
  SELECT ($2::uuid[])[1 + (n % cardinality($2::uuid[]))], gen_random_bytes_32(),
         now() - interval '31 days', now() - interval '1 day' - (n % 1000) * interval '1 second'
  FROM generate_series(1, $1::int) AS n`;

/** `gen_random_uuid()` is built in; 32 random bytes are two of them. */
export const CREATE_RANDOM_BYTES_FN = `
  CREATE OR REPLACE FUNCTION gen_random_bytes_32() RETURNS bytea LANGUAGE sql VOLATILE AS
  $$ SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) $$`;
export const DROP_RANDOM_BYTES_FN = `DROP FUNCTION IF EXISTS gen_random_bytes_32()`;

export const COUNT_EXPIRED_REFRESH_TOKENS = `SELECT count(*)::int AS n FROM refresh_tokens WHERE expires_at < now()`;
export const COUNT_LIVE_REFRESH_TOKENS = `SELECT count(*)::int AS n FROM refresh_tokens WHERE expires_at >= now()`;

/** The statements of one refresh-token rotation, in the order `RefreshTokensUseCase` sends them. */
export const REFRESH = {
  tokenForUpdate: `SELECT "id", "session_id", "expires_at", "rotated_at", "revoked_at", "successor_box"
    FROM "refresh_tokens" WHERE "token_hash" = $1 FOR UPDATE`,
  sessionForUpdate: `SELECT id, user_id, client_id, ip, user_agent, created_at, last_used_at, expires_at, revoked_at
    FROM sessions WHERE id = $1 FOR UPDATE`,
  /** The presented token rotated, its successor stored and the session touched: one statement. */
  rotate: `WITH rotated AS (
      UPDATE refresh_tokens SET rotated_at = $2, successor_box = $3 WHERE id = $1
    ), stored AS (
      INSERT INTO refresh_tokens (session_id, token_hash, expires_at, parent_id) VALUES ($4, $5, $6, $1)
    )
    UPDATE sessions SET last_used_at = $2 WHERE id = $4`,
  /** `RoleAssignments.roleNamesFor`: the role names, sorted and distinct, as one array. */
  roleNames: `SELECT ${roleNamesExpression('$1::uuid', '$2::uuid')} AS names`,
  defaultApplication: `SELECT id, client_id FROM applications WHERE is_default`,
} as const;

/**
 * The statements of one password login, in the order `LoginUseCase` sends them: the user with its
 * throttle state, (argon2id), then the session, its first refresh token and the `login.succeeded`
 * audit event in one atomic statement that also reads the user's roles — no transaction around them.
 */
export const LOGIN = {
  /** The account and the failures of its throttle key (`PgLoginThrottle.lookup`, for a username). */
  lookup: `SELECT u.*, k.key AS throttle_key, f.failures,
      CASE WHEN f.locked_until > clock_timestamp()
           THEN ceil(extract(epoch FROM (f.locked_until - clock_timestamp())))::int END AS seconds
    FROM (SELECT 1) one
    LEFT JOIN (SELECT id, username, email, phone, first_name, last_name, password_hash, status,
        email_verified_at, phone_verified_at, avatar_key, created_at, updated_at FROM users WHERE lower(username) = $1) u ON true
    CROSS JOIN LATERAL (SELECT coalesce($2 || u.id, $3) AS key) k
    LEFT JOIN login_failures f ON f.key = k.key`,
  openSession: `WITH s AS (
      INSERT INTO sessions (user_id, client_id, ip, user_agent, expires_at) VALUES ($1, $2, $3, $4, $5)
      RETURNING id, created_at, last_used_at
    ), t AS (
      INSERT INTO refresh_tokens (session_id, token_hash, expires_at, parent_id) SELECT id, $6, $7, NULL FROM s
    ), a AS (
      INSERT INTO audit_events (type, actor_id, subject_id, ip, user_agent, at, data)
      SELECT $9, $10, $11, $12, $13, $14, jsonb_build_object('sessionId', s.id) || $15::jsonb FROM s
    )
    SELECT id, created_at, last_used_at, ${roleNamesExpression('$1', '$8::uuid')} AS roles FROM s`,
} as const;

// ----- tasks (scenarios 3, 4, 7, 8) ---------------------------------------------------------------

export const TASK_COLUMNS = `"id", "title", "description", "status", "priority", "due_at", "owner_id", "assignee_id", "version", "created_at", "updated_at"`;

/**
 * `$1` tasks spread evenly over the given owners, created over the last 100 days (so that the list's
 * order by creation is realistic), with a mix of statuses and priorities.
 */
export const SEED_TASKS = `
  INSERT INTO tasks (title, description, status, priority, due_at, owner_id, version, created_at, updated_at)
  SELECT 'Task ' || n, 'Seeded by the benchmark',
         (ARRAY['todo', 'in_progress', 'done', 'cancelled'])[1 + n % 4],
         n % 4,
         now() + (n % 60) * interval '1 day',
         ($2::uuid[])[1 + (n % cardinality($2::uuid[]))],
         1,
         now() - (n % 8640000) * interval '1 second',
         now() - (n % 8640000) * interval '1 second'
  FROM generate_series(1, $1::int) AS n`;

/** One task owned by each given user (the real-time scenario patches them); returns ids in order. */
export const SEED_TASK_PER_OWNER = `
  INSERT INTO tasks (title, description, status, priority, owner_id, version)
  SELECT 'Realtime ' || i, '', 'todo', 1, u, 1 FROM unnest($1::uuid[]) WITH ORDINALITY AS t(u, i)
  ORDER BY i
  RETURNING id`;

/**
 * `GET /tasks?limit=20` for a holder of `tasks:read:own`: the tasks the caller owns or is assigned,
 * newest first, one more than the page to know whether there is a next page.
 */
export const LIST_OWN_TASKS = `SELECT ${TASK_COLUMNS} FROM "tasks"
  WHERE "owner_id" = $1 OR "assignee_id" = $1
  ORDER BY "created_at" DESC, "id" DESC LIMIT $2`;

/** Priority as the tasks table stores it (a rank, so that sorting by priority is an index order). */
export const PRIORITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

/** `POST /tasks`: the task and its history event, in one transaction, as the app sends them. */
export const CREATE_TASK = {
  insertTask: `INSERT INTO "tasks" ("title", "description", "status", "priority", "owner_id", "version")
    VALUES ($1, $2, $3, $4, $5, 1) RETURNING ${TASK_COLUMNS}`,
  eventOrderLock: `SELECT pg_advisory_xact_lock(hashtextextended('task_events', 0))`,
  insertEvent: `INSERT INTO task_events (task_id, type, actor_id, owner_id, audience, changes, task)
    VALUES ($1, 'task.created', $2, $2, ARRAY[$2::uuid], '[]'::jsonb, $3::jsonb) RETURNING id, created_at`,
  notify: `SELECT pg_notify('task_events', $1)`,
} as const;
