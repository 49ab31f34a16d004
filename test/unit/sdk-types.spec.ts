import { type ApiProblemError, createApiClient, decodeAccessToken, type OAuthErrorBody, type ProblemCode, type ProblemOf, settle } from '@identity-task/client';

/**
 * The SDK's error types, checked by the type-check of `npm test` (`@ts-expect-error` fails the build
 * when the line it marks compiles): `code` is the union of the operation's documented codes, and
 * `/auth/token` errors have the RFC 6749 shape.
 */
type LoginCode = ProblemCode<'/api/v1/auth/login', 'post'>;
export const loginCode: LoginCode = 'INVALID_CREDENTIALS';
// @ts-expect-error TASK_NOT_FOUND is not a code of login
export const notALoginCode: LoginCode = 'TASK_NOT_FOUND';

type GetTaskProblem = ProblemOf<Awaited<ReturnType<ReturnType<typeof createApiClient>['GET']>>>;
export type { GetTaskProblem };

export async function typedProblems(): Promise<void> {
  const api = createApiClient('http://localhost:3000');
  const r = await settle(api.GET('/api/v1/tasks/{id}', { params: { path: { id: '3f6c2a4e-8b1d-4c55-9e2a-7d1f0b9c6a21' } } }));
  if (r.problem) {
    const problem: ApiProblemError<{ code: unknown }> = r.problem;
    if (r.problem.code === 'TASK_NOT_FOUND') void problem;
    // @ts-expect-error INVALID_CREDENTIALS is not a code of getTask
    if (r.problem.code === 'INVALID_CREDENTIALS') void problem;
  }
  const token = await api.POST('/api/v1/auth/token', { body: { grant_type: 'password' } });
  const oauth: OAuthErrorBody['error'] | undefined = token.error?.error;
  void oauth;
}

describe('SDK helpers', () => {
  it('reads the claims of an access token without verifying it, and refuses what is not a JWT', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', sid: 's1', aud: 'default', roles: ['user'], iat: 1, exp: 2, amr: ['pwd'] })).toString('base64url');
    expect(decodeAccessToken(`eyJhbGciOiJFUzI1NiJ9.${payload}.sig`)).toMatchObject({ sub: 'u1', roles: ['user'], amr: ['pwd'] });
    expect(decodeAccessToken('opaque-refresh-token')).toBeNull();
    expect(decodeAccessToken('a.!!!.c')).toBeNull();
  });
});
