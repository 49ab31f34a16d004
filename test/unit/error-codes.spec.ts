import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODES } from '@app/core';

// Every error code the source can raise is in the one registry (libs/core/src/errors/error-codes.ts),
// with the status its kind maps to: the OpenAPI document's code enums and examples come from there.
const ROOT = join(__dirname, '..', '..');
/** Codes that never reach an HTTP answer. */
const NOT_HTTP = new Set(['TOO_MANY_SOCKETS', 'PG_VERSION']);
const KIND_STATUS: Record<string, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'config' || name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the error code registry', () => {
  const files = [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))];

  it('lists every code the source raises', () => {
    const missing: string[] = [];
    for (const file of files) {
      for (const [, code] of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) {
        if (!(code in ERROR_CODES) && !NOT_HTTP.has(code)) missing.push(`${code} (${relative(ROOT, file)}) — add it to libs/core/src/errors/error-codes.ts with its status and meaning`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('gives each code the status of the kind it is raised with', () => {
    const wrong: string[] = [];
    for (const file of files) {
      for (const [, kind, code] of readFileSync(file, 'utf8').matchAll(/super\(\s*'([a-z_]+)',\s*'([A-Z][A-Z0-9_]+)'/g)) {
        const status = KIND_STATUS[kind];
        const doc = (ERROR_CODES as Record<string, { status: number; otherStatuses?: readonly number[] }>)[code];
        if (status && doc && doc.status !== status && !doc.otherStatuses?.includes(status)) {
          wrong.push(`${code}: raised as ${kind} (${status}) in ${relative(ROOT, file)}, listed as ${doc.status} — fix the registry, or list ${status} in its otherStatuses`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
