import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths } from './schema';
export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Returns the access token to send as `Authorization: Bearer`, if any. */
  token?: () => string | undefined;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A typed client for the service, generated from its OpenAPI document (`npm run sdk`). Paths,
 * parameters, bodies and responses — errors included — are checked by the compiler.
 */
export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({ baseUrl, headers: options.headers, fetch: options.fetch });
  if (options.token) {
    const auth: Middleware = {
      onRequest({ request }) {
        const token = options.token?.();
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
