import type { ApiClient, Schemas } from '@identity-task/client';
import { expectOk, expectPair, TestUser } from './factories';

/** Sets a user's roles of one scope through the API, as an administrator. */
export async function setRoles(admin: ApiClient, userId: string, roles: string[], applicationId?: string): Promise<Schemas['UserRolesDto']> {
  return expectOk(await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: userId } }, body: { roles, applicationId } }));
}

/** Refreshes the user's tokens (roles are read at refresh) and points `u.api` at the new access token. */
export async function refreshUser(t: { as(token: string): ApiClient; api: ApiClient }, u: TestUser): Promise<void> {
  u.tokens = expectPair(await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: u.tokens.refreshToken } }));
  u.api = t.as(u.tokens.accessToken);
}
