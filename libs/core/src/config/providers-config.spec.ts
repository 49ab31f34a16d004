import { readConfig } from './app-config';

const PROD = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SIGNING_KEYS: 'k', APP_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'm'.repeat(16) };
const github = { id: 'github', type: 'github', clientId: 'id', clientSecret: 'secret' };
const google = { id: 'google', type: 'oidc', issuer: 'https://accounts.google.com', clientId: 'id', clientSecret: 'secret' };

const read = (providers: unknown, env: Record<string, string> = {}) => readConfig({ ...env, AUTH_PROVIDERS: typeof providers === 'string' ? providers : JSON.stringify(providers) });

describe('AUTH_PROVIDERS', () => {
  it('reads OIDC and GitHub entries with their defaults', () => {
    const { config, problems } = read([google, { ...github, name: 'GitHub Enterprise', apiUrl: 'https://ghe.example.com/api/v3/' }]);
    expect(problems).toEqual([]);
    expect(config.providers.providers).toEqual([
      { ...google, name: 'google', scopes: ['openid', 'email', 'profile'] },
      {
        ...github,
        name: 'GitHub Enterprise',
        scopes: ['read:user', 'user:email'],
        authorizeUrl: 'https://github.com/login/oauth/authorize',
        tokenUrl: 'https://github.com/login/oauth/access_token',
        apiUrl: 'https://ghe.example.com/api/v3',
      },
    ]);
    expect(config.providers).toMatchObject({ flowTtlSeconds: 600, codeTtlSeconds: 60, metadataTtlSeconds: 86_400 });
    expect(readConfig({}).config.providers.providers).toEqual([]);
  });

  it('accepts http:// issuers outside production only, naming the entry in production', () => {
    const keycloak = { id: 'keycloak', type: 'oidc', issuer: 'http://keycloak:8080/realms/dev', clientId: 'a', clientSecret: 'b' };
    expect(read([keycloak]).problems).toEqual([]);
    expect(read([google, keycloak], PROD).problems).toEqual(['AUTH_PROVIDERS[1] "keycloak": issuer must use https in production (got "http://keycloak:8080/realms/dev")']);
    expect(read([{ ...github, tokenUrl: 'http://ghe.local/token' }], PROD).problems).toEqual(['AUTH_PROVIDERS[0] "github": tokenUrl must use https in production (got "http://ghe.local/token")']);
  });

  it('names every bad entry and what is wrong with it', () => {
    expect(read('not json').problems[0]).toMatch(/^AUTH_PROVIDERS is not valid JSON/);
    expect(read({ id: 'x' }).problems).toEqual(['AUTH_PROVIDERS must be a JSON array of provider objects']);
    expect(
      read([
        { ...google, clientSecret: '' },
        { ...google, id: 'Google!' },
        { ...github, id: 'google' },
        { id: 'saml', type: 'saml', clientId: 'a', clientSecret: 'b' },
        { ...google, id: 'g2', issuer: undefined, scope: ['openid'] },
        { ...google, id: 'g3', scopes: ['email'] },
        'github',
      ]).problems,
    ).toEqual([
      'AUTH_PROVIDERS[0] "google": clientSecret must be a non-empty string',
      'AUTH_PROVIDERS[1] "Google!": id must be 1–32 lower-case letters, digits, "_" or "-" (it is part of the callback URL)',
      'AUTH_PROVIDERS[2] "google": id is used by an earlier entry',
      'AUTH_PROVIDERS[3] "saml": type must be "oidc" or "github" (got "saml")',
      'AUTH_PROVIDERS[4] "g2": unknown field "scope" for type "oidc"',
      'AUTH_PROVIDERS[4] "g2": issuer must be a non-empty string',
      'AUTH_PROVIDERS[5] "g3": scopes must include "openid"',
      'AUTH_PROVIDERS[6] must be an object',
    ]);
  });
});
