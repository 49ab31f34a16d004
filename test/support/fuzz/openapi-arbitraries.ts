import fc from 'fast-check';
import {
  FORGED_CURSORS,
  HOSTILE_DATES,
  HOSTILE_JSON_BODIES,
  HOSTILE_MULTIPART_BODIES,
  HOSTILE_NUMBERS,
  HOSTILE_UUIDS,
  hostileString,
  RAW_ENCODED,
  RawBody,
  RawJson,
  WRONG_TYPES,
} from './hostile';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  id: string;
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema }[];
  body?: { contentType: string; schema: Schema; required: boolean };
  /** Media types the document declares for this operation's responses (the HTML pages declare text/html). */
  responseTypes: Set<string>;
  secured: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      const responseTypes = new Set<string>();
      for (const response of Object.values<Schema>(op.responses ?? {})) for (const type of Object.keys(response.content ?? {})) responseTypes.add(type);
      ops.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p: Schema) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: p.schema ?? {} })),
        body: contentType ? { contentType, schema: content[contentType].schema ?? {}, required: Boolean(op.requestBody.required) } : undefined,
        responseTypes,
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return ops;
}

/** Ids of things that exist (the caller's own user, a task it owns …): hostile bodies reach deeper with them. */
export interface KnownIds {
  uuids: () => string[];
}

/** Arbitraries that many fields use, built once (building some of them, a regular expression's, is not cheap). */
let shared: ReturnType<typeof buildShared> | undefined;
const SHARED = () => (shared ??= buildShared());
function buildShared() {
  const hostile = hostileString();
  return {
    dates: fc.oneof(
      fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    email: fc.emailAddress(),
    phone: fc.oneof(fc.constantFrom('+4712345678', '+14155550123', '+33612345678'), fc.stringMatching(/^\+[1-9]\d{6,14}$/)),
    slug: fc.stringMatching(/^[a-z][a-z0-9_.-]{2,20}$/),
    hostileString: hostile,
    hostileArray: fc.oneof(fc.array(hostile, { maxLength: 3 }), fc.constant(Array.from({ length: 1_000 }, (_, i) => `r${i}`))),
    hostileUuid: fc.oneof(fc.constantFrom(...HOSTILE_UUIDS), hostile),
    hostileDate: fc.constantFrom(...HOSTILE_DATES),
    hostileCursor: fc.oneof(fc.constantFrom(...FORGED_CURSORS), hostile),
    wrongType: fc.constantFrom(...WRONG_TYPES),
  };
}

/** One generated request, before it is written to the wire. */
export interface FuzzRequest {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: { kind: 'json'; value: unknown } | { kind: 'form'; fields: [string, string][] } | { kind: 'raw'; raw: RawBody };
}

/**
 * Arbitraries for the values of a schema, mixed with hostile ones: each value is drawn from the
 * schema most of the time (so requests pass validation and reach the use cases, the queries and the
 * database), else a hostile value of the same type, else a value of the wrong type.
 */
export class SchemaArbitraries {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly known: KnownIds,
  ) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; s?.$ref && i < 10; i++) s = this.doc.components?.schemas?.[String(s.$ref).split('/').pop()!] ?? {};
    return s ?? {};
  }

  /**
   * A value of the schema. With `hostile`, each value (at every level) is sometimes replaced by a
   * hostile one of the same type or by one of the wrong type; without, it is drawn from the schema.
   */
  value(raw: Schema, name = '', hostile = true, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const valid = this.validValue(schema, name, hostile, depth);
    if (!hostile) return schema.nullable ? fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) }) : valid;
    const arbitraries: fc.WeightedArbitrary<unknown>[] = [
      { weight: 5, arbitrary: valid },
      { weight: 4, arbitrary: this.hostileOfType(schema, name) },
      { weight: 1, arbitrary: SHARED().wrongType },
    ];
    if (schema.nullable) arbitraries.push({ weight: 1, arbitrary: fc.constant(null) });
    return fc.oneof(...arbitraries);
  }

  private validValue(schema: Schema, name: string, hostile: boolean, depth: number): fc.Arbitrary<unknown> {
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants) return fc.oneof(...variants.map((v: Schema) => this.validValue(this.resolve(v), name, hostile, depth)));
    if (schema.allOf) return this.validValue(Object.assign({}, ...schema.allOf.map((s: Schema) => this.resolve(s))), name, hostile, depth);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? -1_000;
        const max = schema.maximum ?? 1_000_000;
        return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.constantFrom(min, max));
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 3 ? fc.constant([]) : fc.array(this.value(schema.items ?? {}, name, hostile, depth + 1), { maxLength: 4 });
      case 'object':
        return depth > 3 ? fc.constant({}) : this.objectValue(schema, hostile, depth);
      default:
        if (schema.properties) return this.objectValue(schema, hostile, depth);
        return this.stringValue(schema, name);
    }
  }

  private stringValue(schema: Schema, name: string): fc.Arbitrary<unknown> {
    const lower = name.toLowerCase();
    if (schema.format === 'uuid' || /id$/i.test(name)) {
      const known = this.known.uuids();
      return known.length ? fc.oneof(fc.uuid(), fc.constantFrom(...known)) : fc.uuid();
    }
    if (schema.format === 'date-time' || /^(due|from$|to$)/.test(lower)) return SHARED().dates;
    if (lower.includes('email')) return SHARED().email;
    if (lower.includes('phone') || lower === 'destination') return SHARED().phone;
    if (lower === 'cursor') return fc.constantFrom(...FORGED_CURSORS);
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 64));
    return fc.oneof(SHARED().slug, fc.string({ minLength, maxLength }), fc.string({ unit: 'grapheme', minLength, maxLength }));
  }

  private objectValue(schema: Schema, hostile: boolean, depth: number): fc.Arbitrary<unknown> {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const required = new Set<string>(schema.required ?? []);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, prop] of Object.entries(properties)) record[key] = this.value(prop, key, hostile, depth + 1);
    const base = fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    if (!hostile) return base;
    return fc.oneof(
      { weight: 6, arbitrary: base },
      // A required field left out.
      { weight: 1, arbitrary: fc.record(record, { requiredKeys: [] }) },
      // Fields the contract does not offer (mass assignment) and hostile keys beside the real ones.
      {
        weight: 2,
        arbitrary: fc
          .tuple(base, fc.constantFrom('role', 'roles', 'status', 'emailVerified', 'ownerId', 'isAdmin', 'id', 'version', 'passwordHash', '', '\u0000', 'a'.repeat(300)), fc.constantFrom<unknown>('admin', true, ['admin'], 1, null))
          .map(([obj, key, v]) => ({ ...(obj as object), [key]: v })),
      },
    );
  }

  private hostileOfType(schema: Schema, name: string): fc.Arbitrary<unknown> {
    const lower = name.toLowerCase();
    if (schema.type === 'integer' || schema.type === 'number') {
      const edges = [schema.minimum, schema.maximum].filter((v) => typeof v === 'number').flatMap((v: number) => [v - 1, v + 1]);
      return fc.constantFrom(...HOSTILE_NUMBERS, ...edges);
    }
    if (schema.type === 'boolean') return fc.constantFrom('true', 'false', 'yes', 0, 1, 'TRUE');
    if (schema.type === 'array') return SHARED().hostileArray;
    if (schema.format === 'uuid' || /id$/i.test(name)) return SHARED().hostileUuid;
    if (schema.format === 'date-time' || /^(due|from$|to$)/.test(lower)) return SHARED().hostileDate;
    if (lower === 'cursor') return SHARED().hostileCursor;
    return SHARED().hostileString;
  }

  /** Text for a query, path or form parameter; hostile ones are sometimes raw percent-encoded bytes that no string encodes to. */
  param(raw: Schema, name: string, hostile: boolean): fc.Arbitrary<{ raw: string } | { text: string }> {
    const schema = this.resolve(raw);
    const text = this.value(schema, name, hostile).map((v) => ({ text: paramText(v) }));
    if (!hostile) return text;
    return fc.oneof(
      { weight: 8, arbitrary: text },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_ENCODED).map((r) => ({ raw: r })) },
      { weight: 1, arbitrary: fc.tuple(fc.uuid(), fc.constantFrom(...RAW_ENCODED)).map(([u, r]) => ({ raw: u + r })) },
    );
  }

  /**
   * A request of the operation. Most requests attack one part (a path parameter, a query parameter, a
   * header, the body, or an undeclared parameter) and keep the others valid, so that the hostile part
   * gets past validation of the rest and reaches the use case and the database; some are valid throughout.
   */
  request(op: Operation): fc.Arbitrary<FuzzRequest> {
    const cached = this.requests.get(op.id);
    if (cached) return cached;
    const parts = op.parameters.length + (op.body ? 1 : 0) + 1;
    const attacking = Array.from({ length: parts }, (_, attacked) => this.requestAttacking(op, attacked));
    const request = fc.oneof({ weight: parts, arbitrary: this.requestAttacking(op, -1) }, ...attacking.map((arbitrary) => ({ weight: 4, arbitrary })));
    this.requests.set(op.id, request);
    return request;
  }

  private readonly requests = new Map<string, fc.Arbitrary<FuzzRequest>>();

  private requestAttacking(op: Operation, attacked: number): fc.Arbitrary<FuzzRequest> {
    const path: Record<string, fc.Arbitrary<string>> = {};
    const query: fc.Arbitrary<[string, string][]>[] = [];
    const headers: Record<string, fc.Arbitrary<string>> = {};
    op.parameters.forEach((p, index) => {
      const hostile = index === attacked;
      if (p.in === 'path') {
        const known = this.known.uuids();
        const valid = known.length ? fc.oneof(fc.uuid(), fc.constantFrom(...known)) : fc.uuid();
        path[p.name] = hostile ? this.param(p.schema, p.name, true).map(encodeSegment) : valid;
      } else if (p.in === 'query') {
        const value = this.param(p.schema, p.name, hostile).map(encodeQueryValue);
        const name = encodeURIComponent(p.name);
        const once = value.map((v) => [[name, v]] as [string, string][]);
        const absent = fc.constant([] as [string, string][]);
        query.push(
          !hostile
            ? p.required
              ? once
              : fc.oneof(absent, once, once)
            : fc.oneof(
                { weight: 6, arbitrary: once },
                // The same parameter twice, or with brackets: frameworks turn these into arrays or objects.
                { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]) => [[name, a], [name, b]] as [string, string][]) },
                { weight: 1, arbitrary: value.map((v) => [[`${name}[]`, v]] as [string, string][]) },
                { weight: 1, arbitrary: value.map((v) => [[`${name}[$ne]`, v]] as [string, string][]) },
                { weight: 1, arbitrary: fc.constant([[name, 'x'.repeat(20_000)]] as [string, string][]) },
              ),
        );
      } else if (p.in === 'header') {
        headers[p.name] = hostile
          ? fc.constantFrom('*', 'W/"1"', '"1", "2"', '""', '"-1"', '"0"', '"1e309"', '"NaN"', '"99999999999999999999"', 'garbage', '"\u00e9"', '"1', 'x'.repeat(8_000))
          : fc.integer({ min: 1, max: 3 }).map((n) => `"${n}"`);
      }
    });
    // A parameter the operation does not declare.
    query.push(
      attacked === op.parameters.length + (op.body ? 1 : 0)
        ? fc.tuple(fc.constantFrom('admin', 'role', '__proto__', 'constructor[prototype]', 'limit[0]', 'a'.repeat(2_000)), fc.constantFrom('1', 'true', '%00')).map(([k, v]) => [[encodeURIComponent(k), v]] as [string, string][])
        : fc.constant([] as [string, string][]),
    );
    const bodyAttacked = attacked === op.parameters.length;
    const body = op.body
      ? this.body(op, bodyAttacked)
      : fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_JSON_BODIES).map((raw) => ({ kind: 'raw' as const, raw })) });
    return fc.record({
      path: fc.record(path),
      query: fc.tuple(...query).map((q) => q.flat()),
      headers: fc.record(headers, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>,
      body,
    }) as fc.Arbitrary<FuzzRequest>;
  }

  private body(op: Operation, hostile: boolean): fc.Arbitrary<FuzzRequest['body']> {
    const { contentType, schema } = op.body!;
    // Multipart bodies are always hostile or malformed in some way, or a tiny valid image.
    if (contentType.startsWith('multipart/')) return fc.constantFrom(...HOSTILE_MULTIPART_BODIES).map((raw) => ({ kind: 'raw' as const, raw }));
    const rawBodies = fc.constantFrom(...HOSTILE_JSON_BODIES).map((raw) => ({ kind: 'raw' as const, raw }));
    if (contentType === 'application/x-www-form-urlencoded') {
      const resolved = this.resolve(schema);
      const required = new Set<string>(resolved.required ?? []);
      const fields = Object.entries<Schema>(resolved.properties ?? {}).map(([key, prop]) => {
        const once = this.param(prop, key, hostile).map((v) => [[key, encodeQueryValue(v)]] as [string, string][]);
        if (!hostile) return required.has(key) ? once : fc.oneof(fc.constant([] as [string, string][]), once);
        return fc.oneof(
          { weight: 2, arbitrary: fc.constant([] as [string, string][]) },
          { weight: 6, arbitrary: once },
          { weight: 1, arbitrary: fc.tuple(once, once).map(([a, b]) => [...a, ...b]) },
        );
      });
      const form = fc.tuple(...fields).map((f) => ({ kind: 'form' as const, fields: f.flat() }));
      return hostile ? fc.oneof({ weight: 4, arbitrary: form }, { weight: 1, arbitrary: rawBodies }) : form;
    }
    const json = this.value(schema, 'body', hostile).map((value) => ({ kind: 'json' as const, value }));
    return hostile ? fc.oneof({ weight: 4, arbitrary: json }, { weight: 1, arbitrary: rawBodies }) : json;
  }
}

function paramText(v: unknown): string {
  let text: string;
  if (typeof v === 'string') text = v;
  else if (v instanceof RawJson) text = v.text;
  else if (v === null || v === undefined) text = '';
  else if (typeof v === 'object') text = JSON.stringify(v, rawReplacer);
  else text = String(v);
  return text.length > 20_000 ? text.slice(0, 20_000) : text;
}

/** UTF-8 percent-encoding that, unlike encodeURIComponent, accepts lone surrogates (they become U+FFFD, as in a browser). */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const encodeSegment = (v: { raw: string } | { text: string } | string): string =>
  typeof v === 'string' ? percentEncode(v) : 'raw' in v ? v.raw : percentEncode(v.text);
const encodeQueryValue = (v: { raw: string } | { text: string }): string => ('raw' in v ? v.raw : percentEncode(v.text));

const rawReplacer = (_key: string, v: unknown) => (v instanceof RawJson ? v.toJSON() : v);

/** JSON text of a generated value, with RawJson fragments written in place. */
export function serializeJson(value: unknown): string {
  const fragments: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawJson) {
      fragments.push(v.text);
      return `\u0000raw${fragments.length - 1}\u0000`;
    }
    return v;
  });
  if (text === undefined) return 'null';
  return fragments.length ? text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => fragments[Number(i)]) : text;
}

/** A short, readable description of a generated request for failure messages and the findings file. */
export function describeRequest(op: Operation, req: FuzzRequest, url: string): string {
  const shorten = (s: string) => (s.length > 160 ? `${s.slice(0, 120)}…(${s.length} chars)` : s);
  let body = '';
  if (req.body?.kind === 'json') body = shorten(JSON.stringify(req.body.value, (_k, v) => (v instanceof RawJson ? `<${v.label}>` : typeof v === 'string' ? shorten(v) : v)) ?? 'undefined');
  else if (req.body?.kind === 'form') body = shorten(req.body.fields.map(([k, v]) => `${k}=${v}`).join('&'));
  else if (req.body?.kind === 'raw') body = `<${req.body.raw.label}>`;
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${shorten(v)}`).join('; ');
  return `${op.method} ${url.length > 700 ? `${url.slice(0, 600)}…(${url.length} chars)` : url}${headers ? ` [${headers}]` : ''}${body ? ` body ${body}` : ''}`;
}
