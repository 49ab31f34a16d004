import { EnvReader } from './env-reader';

/** An OpenID Connect provider (Google, Microsoft, Apple, Keycloak, Auth0 …), found through discovery. */
export interface OidcProviderSettings {
  id: string;
  type: 'oidc';
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

/** A GitHub OAuth app; the URLs point at github.com unless overridden (GitHub Enterprise, tests). */
export interface GithubProviderSettings {
  id: string;
  type: 'github';
  name: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  authorizeUrl: string;
  tokenUrl: string;
  apiUrl: string;
}

export type ProviderSettings = OidcProviderSettings | GithubProviderSettings;

/** External identity providers (`AUTH_PROVIDERS`) and the lifetimes of a sign-in through them. */
export interface ProvidersConfig {
  providers: ProviderSettings[];
  /** Seconds between the redirect to the provider and its callback (`PROVIDER_FLOW_TTL`). */
  flowTtlSeconds: number;
  /** Seconds an application has to exchange its one-time code (60, per the contract). */
  codeTtlSeconds: number;
  /** Seconds a provider's discovered metadata is reused before it is fetched again (`PROVIDER_METADATA_TTL`). */
  metadataTtlSeconds: number;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const COMMON_KEYS = ['id', 'type', 'name', 'clientId', 'clientSecret', 'scopes'];
const KEYS = { oidc: [...COMMON_KEYS, 'issuer'], github: [...COMMON_KEYS, 'authorizeUrl', 'tokenUrl', 'apiUrl'] };

/**
 * `AUTH_PROVIDERS`: a JSON array of `{ id, type: "oidc"|"github", name?, issuer?, clientId, clientSecret,
 * scopes? }` (github also `authorizeUrl`, `tokenUrl`, `apiUrl`). Every problem names the entry
 * (`AUTH_PROVIDERS[1] "google": …`). `http://` URLs are refused in production.
 */
export function parseProviders(r: EnvReader, production: boolean): ProviderSettings[] {
  const raw = r.raw('AUTH_PROVIDERS');
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    r.problem(`AUTH_PROVIDERS is not valid JSON (${(error as Error).message}); expected an array such as [{"id":"google","type":"oidc","issuer":"https://accounts.google.com","clientId":"…","clientSecret":"…"}]`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    r.problem('AUTH_PROVIDERS must be a JSON array of provider objects');
    return [];
  }
  const out: ProviderSettings[] = [];
  const seen = new Set<string>();
  parsed.forEach((entry: unknown, index) => {
    const label = () => `AUTH_PROVIDERS[${index}]${entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? ` "${(entry as { id: string }).id}"` : ''}`;
    const problems: string[] = [];
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      r.problem(`${label()} must be an object`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const text = (key: string, required: boolean): string | undefined => {
      const value = e[key];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`${key} must be a non-empty string`);
        return undefined;
      }
      return value.trim();
    };
    const url = (key: string, fallback: string | undefined): string | undefined => {
      const value = text(key, fallback === undefined) ?? fallback;
      if (value === undefined) return undefined;
      let u: URL;
      try {
        u = new URL(value);
      } catch {
        problems.push(`${key} must be a URL (got "${value}")`);
        return undefined;
      }
      if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${key} must be an https URL (got "${value}")`);
      else if (u.protocol === 'http:' && production) problems.push(`${key} must use https in production (got "${value}")`);
      else if (u.search || u.hash || u.username || u.password) problems.push(`${key} must not carry a query, fragment or credentials (got "${value}")`);
      return value.replace(/\/+$/, '');
    };
    const id = text('id', true);
    if (id !== undefined && !ID_PATTERN.test(id)) problems.push('id must be 1–32 lower-case letters, digits, "_" or "-" (it is part of the callback URL)');
    if (id !== undefined && seen.has(id)) problems.push('id is used by an earlier entry');
    if (id !== undefined) seen.add(id);
    const type = e.type;
    if (type !== 'oidc' && type !== 'github') {
      problems.push(`type must be "oidc" or "github" (got ${JSON.stringify(type)})`);
    } else {
      const unknown = Object.keys(e).filter((k) => !KEYS[type].includes(k));
      if (unknown.length > 0) problems.push(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} for type "${type}"`);
    }
    const name = text('name', false);
    const clientId = text('clientId', true);
    const clientSecret = text('clientSecret', true);
    let scopes: string[] | undefined;
    if (e.scopes !== undefined) {
      if (!Array.isArray(e.scopes) || e.scopes.some((s) => typeof s !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
        problems.push('scopes must be an array of scope strings');
      } else scopes = e.scopes as string[];
    }
    let settings: ProviderSettings | undefined;
    if (type === 'oidc') {
      const issuer = url('issuer', undefined);
      if (scopes && !scopes.includes('openid')) problems.push('scopes must include "openid"');
      if (id && clientId && clientSecret && issuer) {
        settings = { id, type, name: name ?? id, issuer, clientId, clientSecret, scopes: scopes ?? ['openid', 'email', 'profile'] };
      }
    } else if (type === 'github') {
      const authorizeUrl = url('authorizeUrl', 'https://github.com/login/oauth/authorize');
      const tokenUrl = url('tokenUrl', 'https://github.com/login/oauth/access_token');
      const apiUrl = url('apiUrl', 'https://api.github.com');
      if (id && clientId && clientSecret && authorizeUrl && tokenUrl && apiUrl) {
        settings = { id, type, name: name ?? 'GitHub', clientId, clientSecret, scopes: scopes ?? ['read:user', 'user:email'], authorizeUrl, tokenUrl, apiUrl };
      }
    }
    for (const problem of problems) r.problem(`${label()}: ${problem}`);
    if (problems.length === 0 && settings) out.push(settings);
  });
  return out;
}
