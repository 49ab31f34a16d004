import { createHash, createPrivateKey, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * The identity providers of the provider sign-in tests, in the test process and on real HTTP:
 * `TestOidcServer` is `oidc-provider` (a certified OpenID Connect server) with its own signing key, so
 * a test can tamper with the ID token it hands out and re-sign it; `FakeGithub` speaks the part of
 * GitHub's OAuth app API the service uses. `browse` is the browser between them: it follows
 * redirects with a cookie jar and stops where the application would take over.
 */

export interface OidcPerson {
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
}

/** Changes a test makes to the ID token the server issues (then re-signed, with the server's key or a foreign one). */
export interface IdTokenTamper {
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** Sign with a key the server never published (same `kid`): a bad signature. */
  foreignKey?: boolean;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function rsaKey(kid: string): { jwk: Record<string, unknown>; key: KeyObject } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { jwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }, key: privateKey };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export class TestOidcServer {
  /** Accounts by subject. */
  readonly people = new Map<string, OidcPerson>();
  /** Who signs in at the next interaction, or 'deny' to refuse consent. */
  next: string | 'deny' = 'deny';
  /** Applied to the next ID token only. */
  tamper?: IdTokenTamper;
  readonly clientId = 'identity-service';
  readonly clientSecret = randomBytes(16).toString('hex');

  private constructor(
    readonly issuer: string,
    private readonly server: Server,
    private readonly key: KeyObject,
    private readonly kid: string,
  ) {}

  static async start(redirectUris: string[]): Promise<TestOidcServer> {
    const server = createServer();
    const port = await listen(server);
    const issuer = `http://127.0.0.1:${port}`;
    const kid = `k-${randomBytes(4).toString('hex')}`;
    const { jwk, key } = rsaKey(kid);
    const self = new TestOidcServer(issuer, server, key, kid);
    const provider = new Provider(issuer, {
      clients: [{ client_id: self.clientId, client_secret: self.clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
      jwks: { keys: [jwk as never] },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'preferred_username'] },
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      pkce: { required: () => true },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      findAccount: async (_ctx: KoaContextWithOIDC, id: string) => ({ accountId: id, claims: async () => ({ sub: id, ...self.people.get(id) }) }),
    });
    // The token endpoint's answer passes through here: a test's tampering of the ID token.
    provider.use(async (ctx, next) => {
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (ctx.method === 'POST' && ctx.path === '/token' && body?.id_token && self.tamper) {
        const tamper = self.tamper;
        self.tamper = undefined;
        ctx.body = { ...body, id_token: self.resign(body.id_token, tamper) };
      }
    });
    const handle = provider.callback();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/interaction/')) {
        self.interact(provider, req, res).catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
        return;
      }
      void handle(req, res);
    });
    return self;
  }

  /** The provider's login and consent, answered at once as `next` says. */
  private async interact(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (this.next === 'deny') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person declined' }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: this.next } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  private resign(idToken: string, tamper: IdTokenTamper): string {
    const [header, payload] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const changed = tamper.claims ? tamper.claims(claims) : claims;
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    const signingInput = `${b64url(JSON.stringify({ ...head, kid: this.kid }))}.${b64url(JSON.stringify(changed))}`;
    const key = tamper.foreignKey ? rsaKey(this.kid).key : createPrivateKey(this.key.export({ format: 'pem', type: 'pkcs8' }));
    return `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), key))}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface GithubPerson {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

/** GitHub's OAuth app endpoints and REST API, as far as sign-in uses them. */
export class FakeGithub {
  /** Who signs in at the next authorize, or 'deny'. */
  next: GithubPerson | 'deny' = 'deny';
  readonly clientId = 'Iv1.test';
  readonly clientSecret = randomBytes(16).toString('hex');
  private readonly codes = new Map<string, { person: GithubPerson; redirectUri: string; challenge: string | null }>();
  private readonly tokens = new Map<string, GithubPerson>();

  private constructor(
    readonly url: string,
    private readonly server: Server,
  ) {}

  static async start(redirectUri: string): Promise<FakeGithub> {
    const server = createServer();
    const port = await listen(server);
    const self = new FakeGithub(`http://127.0.0.1:${port}`, server);
    server.on('request', (req, res) => void self.handle(req, res, redirectUri));
    return self;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, registered: string): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== this.clientId || redirectUri !== registered) return json(400, { error: 'redirect_uri_mismatch' });
      const back = new URL(redirectUri);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      if (this.next === 'deny') {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(10).toString('hex');
        this.codes.set(code, { person: this.next, redirectUri, challenge: url.searchParams.get('code_challenge') });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.href });
      return void res.end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const pkceOk = grant?.challenge === null || grant?.challenge === createHash('sha256').update(verifier).digest('base64url');
      if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret || !grant || grant.redirectUri !== form.get('redirect_uri') || !pkceOk) {
        return json(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      }
      const token = `gho_${randomBytes(12).toString('hex')}`;
      this.tokens.set(token, grant.person);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const person = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!person) return json(401, { message: 'Bad credentials' });
    if (req.method === 'GET' && url.pathname === '/user') return json(200, { id: person.id, login: person.login, name: person.name, email: null });
    if (req.method === 'GET' && url.pathname === '/user/emails') return json(200, person.emails.map((e) => ({ ...e, visibility: e.primary ? 'public' : null })));
    json(404, { message: 'Not Found' });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A browser's navigation from `start`: follows redirects (keeping each host's cookies) until one
 * points where `stop` says the application takes over, or a page is answered.
 */
export async function browse(start: string, stop: (url: URL) => boolean): Promise<{ url: URL; redirected: boolean; status: number; body: string }> {
  const jar = new Map<string, Map<string, string>>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    const cookies = jar.get(url.host);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml', ...(cookies && cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const store = jar.get(url.host) ?? new Map<string, string>();
      jar.set(url.host, store);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) store.delete(pair.slice(0, at));
      else store.set(pair.slice(0, at), value);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (stop(next)) return { url: next, redirected: true, status: res.status, body: '' };
      url = next;
      continue;
    }
    return { url, redirected: false, status: res.status, body: await res.text() };
  }
  throw new Error(`too many redirects from ${start}`);
}

/** A PKCE pair (RFC 7636 S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
