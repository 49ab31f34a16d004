import document from '../../sdk/openapi.json';

/**
 * The committed OpenAPI document (sdk/openapi.json, `npm run sdk`; `npm test` checks it is current) as
 * a contract a frontend team can rely on. Each failure says which operation lacks what, and where
 * to add it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OpenAPI document walked as free-form JSON
type Json = Record<string, any>;
const doc = document as unknown as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
const REGISTRY = 'libs/core/src/errors/error-codes.ts';

const operations: Array<{ where: string; op: Json }> = [];
for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
  for (const method of METHODS) {
    if (item[method]) operations.push({ where: `${item[method].operationId ?? '(no operationId)'} (${method.toUpperCase()} ${path})`, op: item[method] });
  }
}

function resolve(schema: Json | undefined): Json | undefined {
  let current = schema;
  for (let i = 0; current?.$ref && i < 10; i += 1) current = doc.components?.schemas?.[String(current.$ref).replace('#/components/schemas/', '')];
  return current;
}

/** The enum a response schema gives one member (`code`, `error`), looking through allOf. */
function enumOf(schema: Json | undefined, member: string): string[] | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  const own = resolve(s.properties?.[member])?.enum as string[] | undefined;
  if (own) return own;
  // The last part of an allOf narrows the shared schema (the codes of this one status).
  for (const part of [...((s.allOf ?? []) as Json[])].reverse()) {
    const found = enumOf(part, member);
    if (found) return found;
  }
  return undefined;
}

describe('the OpenAPI document', () => {
  it('has operations', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it('lists its tags, auth first, each with a description, and every operation has a listed tag', () => {
    const problems: string[] = [];
    const tags = (doc.tags ?? []) as Array<{ name: string; description?: string }>;
    if (tags[0]?.name !== 'auth') problems.push(`the first tag is ${tags[0]?.name}, not auth — order TAGS in apps/api/src/docs/openapi.ts`);
    for (const tag of tags) if (!tag.description) problems.push(`tag ${tag.name} has no description — add it to TAGS in apps/api/src/docs/openapi.ts`);
    for (const { where, op } of operations) {
      if (!op.tags?.length) problems.push(`${where}: no tag — add @ApiTags(...) to its controller`);
      for (const name of op.tags ?? []) if (!tags.some((t) => t.name === name)) problems.push(`${where}: tag ${name} is not listed — add it to TAGS in apps/api/src/docs/openapi.ts`);
    }
    expect(problems).toEqual([]);
  });

  it('names every operation with a unique camelCase operationId and a plain-text summary', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { where, op } of operations) {
      if (!op.operationId || !/^[a-z][a-zA-Z0-9]*$/.test(op.operationId)) problems.push(`${where}: operationId must be the handler's camelCase name`);
      if (seen.has(op.operationId)) problems.push(`${where}: operationId used twice — rename one handler`);
      seen.add(op.operationId);
      if (!op.summary?.trim()) problems.push(`${where}: no summary — add @ApiOperation({ summary })`);
      else if (/`|\*\*|__|\]\(|^#/.test(op.summary)) problems.push(`${where}: the summary "${op.summary}" holds Markdown — write plain text`);
    }
    expect(problems).toEqual([]);
  });

  it('describes every response, and documents a success', () => {
    const problems: string[] = [];
    for (const { where, op } of operations) {
      const statuses = Object.keys(op.responses ?? {});
      if (!statuses.some((s) => Number(s) < 400)) problems.push(`${where}: no success response — add @ApiOkResponse/@ApiCreatedResponse/@ApiResponse({ status, description })`);
      for (const status of statuses) {
        if (!op.responses[status].description?.trim()) problems.push(`${where}: response ${status} has no description — add description to its @Api…Response decorator`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every error response a code enum and an example per code whose status and code match', () => {
    const problems: string[] = [];
    for (const { where, op } of operations) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue;
        const content = (response.content ?? {}) as Record<string, Json>;
        if (!Object.keys(content).length) problems.push(`${where}: ${status} has no content — declare its codes with @ApiErrors(...) (${REGISTRY})`);
        for (const [type, media] of Object.entries(content)) {
          if (type === 'text/html') {
            if (typeof media.example !== 'string') problems.push(`${where}: ${status} text/html has no example page`);
            continue;
          }
          const member = type === 'application/problem+json' ? 'code' : 'error';
          const allowed = enumOf(media.schema, member);
          const examples = Object.values((media.examples ?? {}) as Record<string, Json>).map((e) => e.value as Json);
          if (media.example) examples.push(media.example as Json);
          if (!allowed?.length) problems.push(`${where}: ${status} ${type} has no ${member} enum — declare its codes with @ApiErrors(...) (${REGISTRY})${type === 'application/json' ? ' or its RFC 6749 errors with @ApiOAuthErrors(...)' : ''}`);
          if (!examples.length) problems.push(`${where}: ${status} ${type} has no example — declare its codes with @ApiErrors(...) instead of @ApiProblems/@ApiResponse`);
          for (const example of examples) {
            if (member === 'code' && example.status !== Number(status)) problems.push(`${where}: the ${example.code} example under ${status} says status ${example.status} — the registry (${REGISTRY}) gives it another status`);
            if (allowed && !allowed.includes(example[member])) problems.push(`${where}: the example ${member} ${example[member]} under ${status} is not in the enum [${allowed.join(', ')}]`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every JSON or form request body an example with every required field', () => {
    const problems: string[] = [];
    for (const { where, op } of operations) {
      for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) {
        if (type === 'multipart/form-data') continue;
        const example = media.example as Json | undefined;
        const schema = resolve(media.schema);
        const name = String(media.schema?.$ref ?? '').replace('#/components/schemas/', '') || 'its body schema';
        if (example === undefined) {
          problems.push(`${where}: the ${type} body has no example — give the properties of ${name} an example (@ApiProperty({ example }))`);
          continue;
        }
        for (const field of (schema?.required ?? []) as string[]) {
          if (!(field in example)) problems.push(`${where}: the body example lacks the required ${field} — give ${name}.${field} an example`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
