import fc from 'fast-check';

/**
 * Hostile values for the OpenAPI fuzzer: what an attacker types into every field. Each list is small
 * and deliberate (fast-check mixes them with values generated from the schemas), so a failure names a
 * value a reader recognises.
 */

/** A JSON fragment written as is into a body (deep or huge values that are cheaper to build as text). */
export class RawJson {
  constructor(
    readonly label: string,
    readonly text: string,
  ) {}
  toJSON(): string {
    return `<${this.label}>`;
  }
}

const deepArray = (depth: number) => new RawJson(`array nested ${depth} deep`, `${'['.repeat(depth)}${']'.repeat(depth)}`);
const deepObject = (depth: number) => new RawJson(`object nested ${depth} deep`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const wideArray = (n: number) => new RawJson(`array of ${n} numbers`, `[${Array.from({ length: n }, (_, i) => i).join(',')}]`);
const wideObject = (n: number) => new RawJson(`object of ${n} keys`, `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`);

export const CONTROL_STRINGS = [
  '\u0000',
  'a\u0000b',
  'user\u0000@example.test',
  '\u0001\u0002\u0003',
  '\t\n\r',
  'line\nbreak',
  '\u001b[31mred',
  '\u007f',
  '\u0085',
  '\u2028\u2029',
  '\u200b\u200d\ufeff',
  '\u202eevil',
];

export const SURROGATE_STRINGS = ['\ud800', '\udfff', 'x\ud83dy', '\udc00\ud800', '😀\ud83d'];

export const LONG_STRINGS = ['a'.repeat(257), 'a'.repeat(1_025), 'é'.repeat(5_000), 'x'.repeat(70_000), '😀'.repeat(3_000)];

export const TRICKY_STRINGS = [
  '',
  ' ',
  '   padded   ',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '%',
  '_',
  '%_%',
  '\\',
  '\\x00',
  '%00',
  '../../../../etc/passwd',
  '..%2F..%2F',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '-1',
  '0x10',
  '9007199254740993',
  '99999999999999999999999999',
  'admin',
  'ADMIN',
  'root',
  'Ａｄｍｉｎ',
  'ǅ',
  'İ',
  'ß',
  'e\u0301',
  '𝕏𝕐',
  'a@b',
  '@',
  'a@b.c@d',
  '"quoted"@example.test',
  'üser@exämple.test',
  `${'a'.repeat(300)}@example.test`,
  '+',
  '+0',
  '+999999999999999999999',
  '+1 (555) 000-0000',
  '00491234567',
  '123456789012',
  'Bearer x',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
];

/** Dates at and beyond the edges of JavaScript's and Postgres's ranges, and things that only look like dates. */
export const HOSTILE_DATES = [
  '-271821-04-20',
  '-271821-04-20T00:00:00.000Z',
  '-271821-04-19T23:59:59.999Z',
  '275760-09-13',
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '294277-01-01T00:00:00Z',
  '+294276-12-31T23:59:59.999Z',
  '-004714-11-23T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01',
  '9999-12-31T23:59:59.999Z',
  '10000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-02-30',
  '2026-13-01',
  '2026-01-01T25:61:61Z',
  '2026-01-01T00:00:00+99:99',
  'NaN',
  'Invalid Date',
  'infinity',
  '-infinity',
  'epoch',
  'now',
  'today',
  '1e10',
  '0',
  '-8640000000000001',
  '8640000000000000',
];

export const HOSTILE_UUIDS = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{6f1b7a4e-2c1d-4c5e-9f3a-1b2c3d4e5f60}',
  '6f1b7a4e2c1d4c5e9f3a1b2c3d4e5f60',
  '6f1b7a4e-2c1d-4c5e-9f3a-1b2c3d4e5f6',
  '6f1b7a4e-2c1d-4c5e-9f3a-1b2c3d4e5f60-',
  '6f1b7a4e-2c1d-4c5e-9f3a-1b2c3d4e5f60\u0000',
  'g00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '1',
  '-1',
  'me',
  '',
];

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

/** Cursors a client could forge: well-formed keysets holding the wrong things, and things that are not cursors. */
export const FORGED_CURSORS = [
  b64([]),
  b64(['x']),
  b64([1]),
  b64([null]),
  b64([null, null]),
  b64(['x', 'y']),
  b64(['not a date', '00000000-0000-0000-0000-000000000000']),
  b64(['-271821-04-20T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']),
  b64(['+275760-09-13T00:00:00.000Z', 'not-a-uuid']),
  b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
  b64([1e308, 'x']),
  b64([-1, -1]),
  b64([Number('9007199254740993'), 1.5]),
  b64(['\u0000', '\u0000']),
  b64(['2026-01-01T00:00:00.000Z', '\u0000']),
  b64([99, '2026-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']),
  b64(['a', 'b', 'c']),
  b64(['2026-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000', 'x', 'y']),
  b64({ id: 1 }),
  b64('"string"'),
  b64('[1,'),
  b64('\ud800'),
  b64(['x'.repeat(300), 'y']),
  'not-a-cursor',
  '====',
  '%%%',
  'eyJ',
  'a'.repeat(600),
];

export const HOSTILE_NUMBERS: unknown[] = [0, -1, 1.5, -0.5, 1e-7, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 101, 1000];

/** Values of the wrong type for any field. */
export const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  '',
  'x',
  [],
  [null],
  ['a', 'b'],
  {},
  { $ne: '' },
  { $gt: '' },
  new RawJson('__proto__ key', '{"__proto__":{"admin":true}}'),
  { constructor: { prototype: { admin: true } } },
  [[[[[[[[[[[]]]]]]]]]]],
  deepArray(64),
  deepArray(3_000),
  deepObject(3_000),
  wideArray(100_000),
  wideObject(20_000),
];

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...CONTROL_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...SURROGATE_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...LONG_STRINGS) },
    { weight: 4, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATES) },
    { weight: 1, arbitrary: fc.constantFrom(...FORGED_CURSORS) },
    // Printable and control characters mixed, and characters from every plane.
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...CONTROL_STRINGS, ...SURROGATE_STRINGS), fc.string({ maxLength: 12 })).map(([a, b, c]) => a + b + c) },
  );

/** Whole request bodies that are not what any JSON endpoint expects. */
export interface RawBody {
  label: string;
  contentType?: string;
  text: string | Buffer;
}

export const HOSTILE_JSON_BODIES: RawBody[] = [
  { label: 'empty body, JSON type', contentType: 'application/json', text: '' },
  { label: 'truncated JSON', contentType: 'application/json', text: '{"a":' },
  { label: 'not JSON', contentType: 'application/json', text: 'hello' },
  { label: 'JSON null', contentType: 'application/json', text: 'null' },
  { label: 'JSON string', contentType: 'application/json', text: '"x"' },
  { label: 'JSON number', contentType: 'application/json', text: '1e999' },
  { label: 'JSON array', contentType: 'application/json', text: '[{"a":1}]' },
  { label: 'duplicate keys', contentType: 'application/json', text: '{"a":1,"a":{"b":2}}' },
  { label: '__proto__ key', contentType: 'application/json', text: '{"__proto__":{"isAdmin":true}}' },
  { label: 'constructor.prototype', contentType: 'application/json', text: '{"constructor":{"prototype":{"isAdmin":true}}}' },
  { label: 'NUL byte outside strings', contentType: 'application/json', text: '{"a":1}\u0000' },
  { label: 'invalid UTF-8', contentType: 'application/json', text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  { label: 'UTF-16 BOM', contentType: 'application/json', text: Buffer.from('\ufeff{"a":1}', 'utf16le') },
  { label: 'JSON with charset latin1', contentType: 'application/json; charset=latin1', text: '{"a":"\u00e9"}' },
  { label: 'array nested 5000 deep', contentType: 'application/json', text: `${'['.repeat(5_000)}${']'.repeat(5_000)}` },
  { label: 'object nested 5000 deep', contentType: 'application/json', text: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}` },
  { label: 'body over 1 MiB', contentType: 'application/json', text: `{"a":"${'x'.repeat(1_100_000)}"}` },
  { label: 'text/plain body', contentType: 'text/plain', text: 'hello' },
  { label: 'XML body', contentType: 'application/xml', text: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' },
  { label: 'form body', contentType: 'application/x-www-form-urlencoded', text: 'a=1&a=2&b[c]=3' },
  { label: 'bogus content type', contentType: 'application/json;;;==', text: '{}' },
  { label: 'multipart to a JSON endpoint', contentType: 'multipart/form-data; boundary=x', text: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n' },
  { label: 'no content type', text: '{}' },
];

const part = (headers: string, body: string | Buffer, boundary = 'fuzzboundary') =>
  Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.isBuffer(body) ? body : Buffer.from(body), Buffer.from('\r\n')]);
const end = (boundary = 'fuzzboundary') => Buffer.from(`--${boundary}--\r\n`);

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');

/** Multipart bodies, well-formed and broken in the ways a client or an attacker breaks them. */
export const HOSTILE_MULTIPART_BODIES: RawBody[] = [
  { label: 'valid 1x1 PNG', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png', TINY_PNG), end()]) },
  { label: 'text named .png', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png', '<svg onload=alert(1)>'), end()]) },
  { label: 'empty file', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', ''), end()]) },
  { label: 'truncated PNG', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG.subarray(0, 30)), end()]) },
  { label: 'no boundary parameter', contentType: 'multipart/form-data', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG), end()]) },
  { label: 'empty boundary parameter', contentType: 'multipart/form-data; boundary=', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG), end()]) },
  { label: 'boundary that is not in the body', contentType: 'multipart/form-data; boundary=other', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG), end()]) },
  { label: 'boundary of 200 characters', contentType: `multipart/form-data; boundary=${'b'.repeat(200)}`, text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG, 'b'.repeat(200)), end('b'.repeat(200))]) },
  { label: 'no closing boundary', contentType: 'multipart/form-data; boundary=fuzzboundary', text: part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG) },
  { label: 'cut in the middle of a part header', contentType: 'multipart/form-data; boundary=fuzzboundary', text: '--fuzzboundary\r\nContent-Disposition: form-da' },
  { label: 'empty body', contentType: 'multipart/form-data; boundary=fuzzboundary', text: '' },
  { label: 'only the closing boundary', contentType: 'multipart/form-data; boundary=fuzzboundary', text: end() },
  { label: 'part without Content-Disposition', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Type: image/png', TINY_PNG), end()]) },
  { label: 'a field instead of a file', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"', 'not a file'), end()]) },
  { label: 'file under another name', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="avatar"; filename="a.png"', TINY_PNG), end()]) },
  { label: 'two files', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG), part('Content-Disposition: form-data; name="file"; filename="b.png"', TINY_PNG), end()]) },
  { label: 'a field then the file', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="x"', '1'), part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG), end()]) },
  { label: 'hostile filename', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="../../a\u0000.png"', TINY_PNG), end()]) },
  { label: 'part header of 20 000 characters', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part(`Content-Disposition: form-data; name="file"; filename="${'a'.repeat(20_000)}.png"`, TINY_PNG), end()]) },
  { label: 'header-only garbage', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a]) },
  { label: 'multipart/mixed', contentType: 'multipart/mixed; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG), end()]) },
  { label: 'boundary with quotes and spaces', contentType: 'multipart/form-data; boundary="a b"', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', TINY_PNG, 'a b'), end('a b')]) },
  { label: 'JSON to an upload endpoint', contentType: 'application/json', text: '{"file":"x"}' },
  { label: 'PNG bytes without multipart', contentType: 'image/png', text: TINY_PNG },
  { label: 'no content type', text: TINY_PNG },
  { label: 'file over the upload limit', contentType: 'multipart/form-data; boundary=fuzzboundary', text: Buffer.concat([part('Content-Disposition: form-data; name="file"; filename="a.png"', Buffer.alloc(6 * 1024 * 1024, 1)), end()]) },
];

/** Raw query-string and path fragments, already percent-encoded (some of them wrongly on purpose). */
export const RAW_ENCODED = ['%00', '%ED%A0%80', '%FF%FE', '%C0%AF', '%', '%zz', '%2e%2e', '%2F', '..', '.', '%5C', '%0d%0aX-Injected:%201', '%E2%80%AE', 'a%00b', '%25', '%u0000'];
