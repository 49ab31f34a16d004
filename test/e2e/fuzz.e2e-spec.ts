import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { connect } from 'node:net';
import document from '../../sdk/openapi.json';
import { setRoles } from '../support/admin';
import { expectOk, loginAdmin, newUser, uniqueName, WITH_ADMIN } from '../support/factories';
import { describeRequest, FuzzRequest, OpenApiDocument, Operation, operationsOf, SchemaArbitraries } from '../support/fuzz/openapi-arbitraries';
import { closeWire, send, urlOf, WireResponse } from '../support/fuzz/wire';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The OpenAPI fuzzer: every operation of the committed document, called anonymously, as an ordinary
 * user and as an administrator, with requests generated from the operation's parameter and body
 * schemas and mixed with hostile values (see support/fuzz/hostile.ts). It fails on any 5xx, and on any
 * error that is not application/problem+json — except the two documented forms: RFC 6749 errors on
 * /auth/token and the HTML pages of the emailed links.
 *
 * Deterministic: FUZZ_SEED (printed on failure) fixes every request, in order; FUZZ_RUNS is the number
 * of runs per operation and caller (12), cut short when the time budget FUZZ_TIME_BUDGET_MS (45 s for
 * the whole document, shared out as operations finish) runs out, so a busy machine runs fewer of the
 * same requests; FUZZ_ONLY=operationId[,…] narrows to some operations; FUZZ_COLLECT=<file> records
 * every finding as JSON lines instead of stopping at the first one; FUZZ_DEBUG=1 prints each request
 * with its status and time.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 1_429_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Wall-clock time for all operations together; what a fast operation leaves over goes to the next ones. 0: no limit. */
const BUDGET_MS = Number(process.env.FUZZ_TIME_BUDGET_MS ?? 45_000);
const COLLECT = process.env.FUZZ_COLLECT;
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_grant', 'invalid_client', 'unsupported_grant_type', 'unauthorized_client', 'mfa_required']);

/** Operations whose success may take a caller's session, account or rights away (its own or another's). */
const AFFECTS_CALLERS = new Set(['logout', 'logoutAll', 'deleteMe', 'changePassword', 'updateMe', 'updateUser', 'deleteUser', 'deleteUserByPhone', 'assignUserRoles', 'revokeSession', 'revokeUserSession', 'setRoleStatus', 'setRolePermissions', 'updateRole', 'deleteRole', 'resetPassword', 'submitPasswordResetForm']);

const operations = operationsOf(document as unknown as OpenApiDocument).filter((op) => !process.env.FUZZ_ONLY || process.env.FUZZ_ONLY.split(',').includes(op.id));

type CallerName = 'anonymous' | 'user' | 'admin';

interface Caller {
  name: CallerName;
  token?: string;
  id?: string;
  login?: { login: string; password: string };
  stale: boolean;
}

/** What is wrong with a response, if anything. */
export function verdict(op: Operation, res: WireResponse): string | undefined {
  if (res.status >= 500) return `${res.status} server error`;
  if (res.status < 400) return undefined;
  const type = res.contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/problem+json') {
    try {
      const body = JSON.parse(res.body) as { status?: unknown; code?: unknown };
      if (body.status !== res.status) return `problem status ${String(body.status)} on a ${res.status}`;
      if (typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(body.code)) return `problem without a stable code (${String(body.code)})`;
      return undefined;
    } catch {
      return `${res.status} problem+json that is not JSON`;
    }
  }
  if (op.id === 'issueToken' && type === 'application/json') {
    try {
      const body = JSON.parse(res.body) as { error?: unknown };
      return typeof body.error === 'string' && OAUTH_ERRORS.has(body.error) ? undefined : `${res.status} OAuth error of unknown form`;
    } catch {
      return `${res.status} OAuth error that is not JSON`;
    }
  }
  if (type === 'text/html' && op.responseTypes.has('text/html') && res.status === 400) return undefined;
  return `${res.status} as ${type || 'no content type'}`;
}

/** A per-operation seed, so that one operation's runs do not depend on which others ran. */
function seedFor(op: Operation, caller: CallerName): number {
  return createHash('sha256').update(`${SEED}:${op.id}:${caller}`).digest().readInt32LE(0);
}

describe('OpenAPI fuzzer', () => {
  let t: TestApp;
  const callers: Record<CallerName, Caller> = {
    anonymous: { name: 'anonymous', stale: false },
    user: { name: 'user', stale: true },
    admin: { name: 'admin', stale: true },
  };
  const known: string[] = [];
  let arbitraries: SchemaArbitraries;
  let deadline = 0;
  let slotsLeft = operations.length * 3;
  const stats = { requests: 0, cut: 0 };

  /** Whether the caller's token still works and still carries exactly the caller's kind of rights. */
  async function works(caller: Caller): Promise<boolean> {
    if (!caller.token) return false;
    const api = t.as(caller.token);
    const me = await api.GET('/api/v1/users/me');
    if (me.response.status !== 200 || me.data?.status !== 'active') return false;
    const adminOnly = (await api.GET('/api/v1/users', { params: { query: { limit: 1 } } })).response.status;
    return caller.name === 'admin' ? adminOnly === 200 : adminOnly === 403;
  }

  /**
   * Gives the caller a working token again when the fuzzer logged it out, disabled, promoted, demoted
   * or deleted it: a new sign-in when that is enough, else a new account.
   */
  async function ready(caller: Caller): Promise<void> {
    if (caller.name === 'anonymous' || !caller.stale) return;
    caller.stale = false;
    if (await works(caller)) return;
    if (caller.login) {
      const again = await t.api.POST('/api/v1/auth/login', { body: caller.login });
      caller.token = again.data?.accessToken;
      if (await works(caller)) return;
    }
    if (caller.name === 'user') {
      const u = await newUser(t);
      Object.assign(caller, { token: u.tokens.accessToken, id: u.user.id, login: { login: u.user.username, password: u.password } });
      return;
    }
    // Administrators are made by the bootstrap administrator, which the fuzzer never uses itself.
    const root = await loginAdmin(t);
    const names = uniqueName('fuzzadmin');
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const created = expectOk(await root.api.POST('/api/v1/users', { body: { ...names, password, emailVerified: true } }));
    await setRoles(root.api, created.id, ['admin']);
    const tokens = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: names.username, password } }));
    Object.assign(caller, { token: tokens.accessToken, id: created.id, login: { login: names.username, password } });
  }

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ...WITH_ADMIN,
        // The fuzzer is one client sending thousands of requests: per-address limits would answer 429 to all of them.
        AUTH_RATE_LIMIT: '1000000',
        UPLOAD_MAX_BYTES: String(5 * 1024 * 1024),
        UPLOAD_RATE_LIMIT: '1000000',
      },
    });
    await ready(callers.user);
    await ready(callers.admin);
    const user = t.as(callers.user.token!);
    const task = expectOk(await user.POST('/api/v1/tasks', { body: { title: 'fuzz target' } }));
    const root = await loginAdmin(t);
    const role = expectOk(await root.api.POST('/api/v1/roles', { body: { name: `fuzz-role-${randomBytes(3).toString('hex')}`, permissions: ['tasks:read:own'] } }));
    const roleId = 'items' in role ? role.items[0].id : role.id;
    const app = expectOk(await root.api.POST('/api/v1/applications', { body: { clientId: `fuzz-${randomBytes(3).toString('hex')}`, name: 'Fuzz target' } }));
    known.push(callers.user.id!, callers.admin.id!, task.id, roleId, app.id);
    arbitraries = new SchemaArbitraries(document as unknown as OpenApiDocument, { uuids: () => known });
  });

  afterAll(async () => {
    console.info(`fuzz: seed ${SEED}, ${stats.requests} requests to ${operations.length} operations; ${stats.cut} of ${operations.length * 3} operation-callers cut short by the time budget`);
    closeWire();
    await t?.close();
  });

  /** One request written byte for byte on a new connection; the answer split into status, headers and body. */
  function raw(head: string): Promise<{ status: number; contentType: string; body: unknown }> {
    const { port } = new URL(t.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(head));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [headers, ...rest] = text.split('\r\n\r\n');
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(headers)?.[1]);
        const contentType = /^content-type: *(.*)$/im.exec(headers)?.[1] ?? '';
        let body: unknown = rest.join('\r\n\r\n');
        try {
          body = JSON.parse(String(body));
        } catch {
          // left as text
        }
        resolve({ status, contentType, body });
      });
    });
  }

  it.each([
    ['a URL that is not validly percent-encoded', 'GET /api/v1/tasks/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'MALFORMED_URL'],
    ['a path parameter over the length limit', `GET /api/v1/tasks/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414, 'URI_TOO_LONG'],
    ['headers over the size limit', `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ['bytes that are not HTTP', 'NOT HTTP AT ALL\u0000\r\n\r\n', 400, 'BAD_REQUEST'],
  ])('answers %s, refused before any route runs, as problem+json', async (_what, head, status, code) => {
    const res = await raw(head);
    expect(res.status).toBe(status);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  });

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(process.env.FUZZ_ONLY ? 0 : 50);
    expect(new Set(operations.map((op) => op.id)).size).toBe(operations.length);
  });

  it.each(operations.map((op) => [op.id, op] as const))('%s answers every caller and every input with a 4xx problem, never a 5xx', async (_id, op) => {
    const failures: string[] = [];
    for (const name of ['anonymous', 'user', 'admin'] as const) {
      const caller = callers[name];
      // Anonymous callers also send broken credentials.
      const junkAuth = fc.oneof(
        { weight: 6, arbitrary: fc.constant<string | undefined>(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('Bearer', 'Bearer  ', 'Basic YTpi', 'Bearer a.b.c', `Bearer ${'x'.repeat(9_000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'bearer \u00e9') },
      );
      const auth = name === 'anonymous' ? junkAuth : fc.constant<string | undefined>(undefined);
      let finding: string | undefined;
      const seed = seedFor(op, name);
      deadline ||= Date.now() + BUDGET_MS;
      // This caller's share of what is left of the budget; its runs after that are generated but not sent
      // (at least one is), so the sequence of requests stays the same whatever the machine's speed.
      const stopAt = BUDGET_MS ? Date.now() + Math.max(0, deadline - Date.now()) / slotsLeft : Infinity;
      slotsLeft -= 1;
      let sent = 0;
      const numRuns = name === 'anonymous' && op.secured ? Math.ceil(RUNS / 2) : RUNS;
      const result = await fc.check(
        fc.asyncProperty(arbitraries.request(op), auth, async (req: FuzzRequest, junk) => {
          if (sent > 0 && Date.now() > stopAt) return true;
          sent += 1;
          await ready(caller);
          const url = urlOf(op, req);
          let res: WireResponse;
          const t0 = Date.now();
          try {
            res = await send(t.baseUrl, op, req, caller.token ?? junk);
          } catch (error) {
            res = { status: 599, contentType: '', body: `no response: ${(error as Error).message}` };
          }
          if (process.env.FUZZ_DEBUG) process.stdout.write(`${Date.now() - t0} ms ${name} ${res.status} ${describeRequest(op, req, url).slice(0, 200)}\n`);
          if (res.status === 401) caller.stale = true;
          if (res.status < 300 && AFFECTS_CALLERS.has(op.id)) for (const c of Object.values(callers)) c.stale = true;
          const wrong = verdict(op, res);
          if (!wrong) return true;
          const text = `${op.id} as ${name}: ${wrong}\n  request  ${describeRequest(op, req, url)}\n  response ${res.status} ${res.contentType} ${res.body.slice(0, 300)}`;
          finding ??= text;
          if (COLLECT) appendFileSync(COLLECT, `${JSON.stringify({ op: op.id, caller: name, wrong, request: describeRequest(op, req, url), status: res.status, contentType: res.contentType, body: res.body.slice(0, 300) })}\n`);
          return Boolean(COLLECT);
        }),
        { seed, numRuns, endOnFailure: !process.env.FUZZ_SHRINK },
      );
      stats.requests += sent;
      if (sent < numRuns) stats.cut += 1;
      if (result.failed) {
        failures.push(`${finding ?? String(result.errorInstance)}\n  reproduce: FUZZ_SEED=${SEED} FUZZ_ONLY=${op.id} (fast-check seed ${result.seed}, path ${result.counterexamplePath})`);
      }
    }
    if (failures.length) throw new Error(failures.join('\n'));
  }, 120_000);
});
