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
