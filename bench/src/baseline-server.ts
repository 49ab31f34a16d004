/**
 * The baseline: the least a server on this stack must do for each benchmarked route — Fastify, no
 * Nest — verifying the same ES256 JWT with the same library (`jsonwebtoken`, a `KeyObject` chosen by
 * `kid`, the same header, issuer and claim checks) and running the same SQL over a `pg` pool of the
 * same size, as named prepared statements where the app prepares them (`UnitOfWork.rows` with
 * `prepare`). Its throughput is the practical limit the application is compared with.
 */
import * as argon2 from 'argon2';
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import * as jwt from 'jsonwebtoken';
import { createPrivateKey, createPublicKey, KeyObject, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Pool, PoolClient } from 'pg';
import { hashToken, newRefreshToken, sealSuccessor } from '@app/auth/domain/refresh-token-crypto';
import { ARGON2_OPTIONS } from '@app/credentials/infrastructure/argon2-password-hasher';
import { CREATE_TASK, LIST_OWN_TASKS, LOGIN, PRIORITY_RANK, REFRESH, USER_BY_ID } from './sql';

const ALGORITHM = 'ES256';
const TYP = 'at+jwt';

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const env = process.env;
const keys: Key[] = (JSON.parse(env.JWT_SIGNING_KEYS ?? '[]') as { kid: string; privateKey: string }[]).map((k) => {
  const privateKey = createPrivateKey(k.privateKey);
  return { kid: k.kid, privateKey, publicKey: createPublicKey(privateKey) };
});
const byKid = new Map(keys.map((k) => [k.kid, k]));
const issuer = env.JWT_ISSUER ?? '';
const accessTtl = Number(env.ACCESS_TOKEN_TTL ?? 900);
const pool = new Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_SIZE ?? 10) });

/** Statement names by text: a name always means the same text. */
const statementNames = new Map<string, string>();

/** A named prepared statement (parsed and planned once per connection), as the app sends this one. */
function prepared(text: string, values: unknown[]) {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `baseline_${statementNames.size + 1}`));
  return { name, text, values };
}

interface Claims {
  sub: string;
  sid: string;
  aud: string;
  roles: string[];
}

class Unauthorized extends Error {}

/** The same checks as the app's guard: header, key by kid, signature, issuer, expiry, claim types. */
function authenticate(request: FastifyRequest): Claims {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) throw new Unauthorized();
  const token = header.slice(7);
  const decoded = jwt.decode(token, { complete: true });
  const h = decoded?.header;
  if (!h || h.alg !== ALGORITHM || h.typ !== TYP || typeof h.kid !== 'string') throw new Unauthorized();
  const key = byKid.get(h.kid);
  if (!key) throw new Unauthorized();
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key.publicKey, { algorithms: [ALGORITHM], issuer, clockTolerance: 5 }) as jwt.JwtPayload;
  } catch {
    throw new Unauthorized();
  }
  if (
    payload.typ !== 'access' ||
    typeof payload.sub !== 'string' ||
    typeof payload.sid !== 'string' ||
    typeof payload.aud !== 'string' ||
    typeof payload.jti !== 'string' ||
    !Array.isArray(payload.roles)
  ) {
    throw new Unauthorized();
  }
  return { sub: payload.sub, sid: payload.sid, aud: payload.aud, roles: payload.roles as string[] };
}

function fail(reply: FastifyReply, status: number, code: string) {
  return reply.status(status).type('application/problem+json').send({ type: 'about:blank', title: code, status, code });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function taskResponse(row: Record<string, unknown>) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: ['low', 'medium', 'high', 'urgent'][row.priority as number],
    dueAt: iso(row.due_at as Date | null),
    ownerId: row.owner_id,
    assigneeId: row.assignee_id,
    version: row.version,
    createdAt: iso(row.created_at as Date),
    updatedAt: iso(row.updated_at as Date),
  };
}

async function transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const app = Fastify({ logger: false });

app.setErrorHandler((error, _request, reply) => {
  if (error instanceof Unauthorized) return fail(reply.header('WWW-Authenticate', 'Bearer'), 401, 'UNAUTHENTICATED');
  return fail(reply, 500, 'INTERNAL_ERROR');
});

app.get('/health/live', async () => ({ status: 'ok', info: {}, error: {}, details: {} }));
app.get('/health/ready', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok' };
});

app.get('/api/v1/users/me', async (request, reply) => {
  const claims = authenticate(request);
  const { rows } = await pool.query(prepared(USER_BY_ID, [claims.sub]));
  const u = rows[0];
  if (!u) return fail(reply, 404, 'USER_NOT_FOUND');
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    phone: u.phone,
    firstName: u.first_name,
    lastName: u.last_name,
    status: u.status,
    emailVerified: u.email_verified_at !== null,
    phoneVerified: u.phone_verified_at !== null,
    emailVerifiedAt: iso(u.email_verified_at),
    phoneVerifiedAt: iso(u.phone_verified_at),
    avatarUrl: u.avatar_key ? `/api/v1/uploads/${u.avatar_key}` : null,
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
  };
});

app.get('/api/v1/tasks', async (request) => {
  const claims = authenticate(request);
  const limit = Math.min(100, Math.max(1, Number((request.query as { limit?: string }).limit ?? 20)));
  const { rows } = await pool.query(LIST_OWN_TASKS, [claims.sub, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1] as { created_at: Date; id: string } | undefined;
  const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url') : null;
  return { items: page.map(taskResponse), nextCursor };
});

app.post('/api/v1/tasks', async (request, reply) => {
  const claims = authenticate(request);
  const body = request.body as { title?: unknown; description?: unknown; priority?: unknown };
  if (typeof body?.title !== 'string' || body.title.length === 0) return fail(reply, 400, 'VALIDATION_FAILED');
  const task = await transaction(async (client) => {
    const priority = PRIORITY_RANK[typeof body.priority === 'string' ? body.priority : 'medium'] ?? 1;
    const { rows } = await client.query(CREATE_TASK.insertTask, [body.title, body.description ?? null, 'todo', priority, claims.sub]);
    await client.query(CREATE_TASK.eventOrderLock);
    const event = await client.query(CREATE_TASK.insertEvent, [rows[0].id, claims.sub, JSON.stringify(rows[0])]);
    await client.query(CREATE_TASK.notify, [JSON.stringify({ id: event.rows[0].id })]);
    return rows[0] as Record<string, unknown>;
  });
  return reply.status(201).header('ETag', `"${task.version}"`).send(taskResponse(task));
});

let defaultApp: { id: string; client_id: string } | undefined;

app.post('/api/v1/auth/refresh', async (request, reply) => {
  const presented = (request.body as { refreshToken?: unknown })?.refreshToken;
  if (typeof presented !== 'string' || presented.length !== 43) return fail(reply, 401, 'TOKEN_INVALID');
  defaultApp ??= (await pool.query(REFRESH.defaultApplication)).rows[0];
  const application = defaultApp!;
  const pair = await transaction(async (client) => {
    const now = new Date();
    const token = (await client.query(prepared(REFRESH.tokenForUpdate, [hashToken(presented)]))).rows[0];
    if (!token || token.revoked_at || token.rotated_at || token.expires_at <= now) return undefined;
    const session = (await client.query(prepared(REFRESH.sessionForUpdate, [token.session_id]))).rows[0];
    if (!session || session.revoked_at || session.expires_at <= now) return undefined;
    const user = (await client.query(prepared(USER_BY_ID, [session.user_id]))).rows[0];
    if (!user || user.status === 'disabled') return undefined;
    const successor = newRefreshToken();
    const expiresAt = new Date(Math.min(now.getTime() + 2_592_000_000, (session.expires_at as Date).getTime()));
    await client.query(prepared(REFRESH.rotate, [token.id, now, sealSuccessor(presented, successor), session.id, hashToken(successor), expiresAt]));
    const roles: string[] = (await client.query(prepared(REFRESH.roleNames, [session.user_id, application.id]))).rows[0].names;
    const signer = keys[0];
    const accessToken = jwt.sign({ sid: session.id, roles, typ: 'access' }, signer.privateKey, {
      algorithm: ALGORITHM,
      keyid: signer.kid,
      subject: session.user_id,
      audience: application.client_id,
      issuer,
      expiresIn: accessTtl,
      jwtid: randomUUID(),
      header: { alg: ALGORITHM, typ: TYP, kid: signer.kid },
    });
    return {
      accessToken,
      refreshToken: successor,
      tokenType: 'Bearer',
      expiresIn: accessTtl,
      refreshExpiresIn: Math.floor((expiresAt.getTime() - now.getTime()) / 1000),
    };
  });
  if (!pair) return fail(reply, 401, 'TOKEN_INVALID');
  return reply.header('Cache-Control', 'no-store').send(pair);
});

/** As many argon2 verifications at a time as there are cores, the rest waiting (as the app's default). */
const hashSlots = { free: availableParallelism(), waiting: [] as (() => void)[] };
async function hashing<T>(work: () => Promise<T>): Promise<T> {
  if (hashSlots.free > 0) hashSlots.free -= 1;
  else await new Promise<void>((resolve) => hashSlots.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = hashSlots.waiting.shift();
    if (next) next();
    else hashSlots.free += 1;
  }
}
let dummyHash: Promise<string> | undefined;

/**
 * The least a password login must do here: the user with its throttle state, one argon2id
 * verification, then the session with its first refresh token and the audit event in one atomic
 * statement that also reads the roles, and an ES256 access token. The practical limit for the app's login rate here.
 */
app.post('/api/v1/auth/login', async (request, reply) => {
  const body = request.body as { login?: unknown; password?: unknown };
  if (typeof body?.login !== 'string' || typeof body.password !== 'string') return fail(reply, 400, 'VALIDATION_FAILED');
  const login = body.login.toLowerCase();
  const password = body.password;
  const found = (await pool.query(prepared(LOGIN.lookup, [login, 'user:', `login:username:${login}`]))).rows[0];
  if (found.seconds > 0) return fail(reply.header('Retry-After', String(found.seconds)), 429, 'LOGIN_LOCKED');
  const user = found.id ? found : undefined;
  dummyHash ??= argon2.hash('not the password of anyone', ARGON2_OPTIONS);
  const hash: string = user?.password_hash ?? (await dummyHash);
  const ok = await hashing(() => argon2.verify(hash, password));
  if (!ok || !user) return fail(reply, 401, 'INVALID_CREDENTIALS');
  defaultApp ??= (await pool.query(REFRESH.defaultApplication)).rows[0];
  const application = defaultApp!;
  const now = new Date();
  const sessionExpiresAt = new Date(now.getTime() + 7_776_000_000);
  const refreshToken = newRefreshToken();
  const refreshExpiresAt = new Date(Math.min(now.getTime() + 2_592_000_000, sessionExpiresAt.getTime()));
  const ip = request.ip;
  const userAgent = request.headers['user-agent'] ?? null;
  const session = (
    await pool.query(
      prepared(LOGIN.openSession, [
        user.id,
        application.client_id,
        ip,
        userAgent,
        sessionExpiresAt,
        hashToken(refreshToken),
        refreshExpiresAt,
        application.id,
        'login.succeeded',
        user.id,
        user.id,
        ip,
        userAgent,
        now,
        JSON.stringify({ clientId: application.client_id }),
      ]),
    )
  ).rows[0];
  const signer = keys[0];
  const accessToken = jwt.sign({ sid: session.id, roles: session.roles, typ: 'access' }, signer.privateKey, {
    algorithm: ALGORITHM,
    keyid: signer.kid,
    subject: user.id,
    audience: application.client_id,
    issuer,
    expiresIn: accessTtl,
    jwtid: randomUUID(),
    header: { alg: ALGORITHM, typ: TYP, kid: signer.kid },
  });
  return reply.header('Cache-Control', 'no-store').send({
    accessToken,
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: accessTtl,
    refreshExpiresIn: Math.floor((refreshExpiresAt.getTime() - now.getTime()) / 1000),
  });
});

const shutdown = () => {
  app
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

app.listen({ port: Number(env.PORT ?? 3100), host: '127.0.0.1' }).catch((error: unknown) => {
  process.stderr.write(`baseline failed to start: ${String(error)}\n`);
  process.exit(1);
});
