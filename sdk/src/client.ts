import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from '../schema.js';

export type Schemas = components['schemas'];
/** The typed client: `api.GET('/api/v1/users/me')`, paths, parameters, bodies and responses checked by the compiler. */
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Returns the access token to send as `Authorization: Bearer`, if any. */
  token?: () => string | undefined | null | Promise<string | undefined | null>;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A typed client for the service, generated from its OpenAPI document (`npm run sdk`), without any
 * session handling (see createIdentityClient for that). `token` supplies a bearer token per request.
 */
export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({ baseUrl, headers: options.headers, fetch: options.fetch });
  if (options.token) {
    const auth: Middleware = {
      async onRequest({ request }) {
        const token = await options.token?.();
        if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** A failed call of a list operation while walking its pages: the status and the problem document. */
export class PageFetchError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`listing failed with ${status}`);
    this.name = 'PageFetchError';
  }
}

/**
 * Walks a list page by page. Every list takes `limit` and an opaque `cursor` and answers
 * `{ items, nextCursor }`; `fetchPage(cursor)` is one call of its operation, e.g.
 * `for await (const users of pages((cursor) => api.GET('/api/v1/users', { params: { query: { limit: 100, cursor } } })))`.
 * Starts at `cursor` when given (else the first page); ends after the page whose `nextCursor` is null.
 */
export async function* pages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ data?: { items: T[]; nextCursor: string | null }; error?: unknown; response: Response }>,
  cursor?: string,
): AsyncGenerator<T[], void, undefined> {
  for (;;) {
    const { data, error, response } = await fetchPage(cursor);
    if (data === undefined || !response.ok) throw new PageFetchError(response.status, error);
    yield data.items;
    if (data.nextCursor === null) return;
    cursor = data.nextCursor;
  }
}
