import { ValidationFailedError } from '@app/core';

/** Longest cursor accepted (our own are far shorter); longer ones are refused before decoding. */
export const MAX_CURSOR_LENGTH = 512;

/** A cursor that is not one this service issued (or no longer fits the query): 400 `INVALID_CURSOR`. */
export class InvalidCursorError extends ValidationFailedError {
  constructor(message = 'The cursor is not valid') {
    super(message, [{ field: 'cursor', message: 'invalid cursor' }], 'INVALID_CURSOR');
  }
}

/**
 * One position of a keyset cursor: how a value is checked when a cursor comes back. `read` returns
 * the value as the query needs it, or `undefined` when the value is not acceptable — so nothing a
 * client made up ever reaches SQL (a bad `::uuid`, a timestamp Postgres cannot hold, a huge number).
 */
export interface CursorField<T> {
  readonly read: (value: unknown) => T | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ISO-8601 in UTC as `Date#toISOString` writes it — years 0001–9999, or +010000 up to JavaScript's last
// instant in +275760 — with up to 6 fraction digits (Postgres keeps microseconds).
const TIMESTAMP = /^(\d{4}|\+\d{6})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z$/;
const LAST_INSTANT_MS = 8.64e15;

/**
 * A valid UTC instant from 0001-01-01 to +275760-09-13 (inside Postgres's timestamptz range), as text
 * Postgres reads: an extended year loses its `+` and leading zeros (`20000-01-01T…`); else undefined.
 */
function readTimestamp(value: string): string | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (year < 1 || (m[1].startsWith('+') && year < 10_000) || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Number(`0${m[7] ?? ''}`) * 1000;
  if (!(ms <= LAST_INSTANT_MS)) return undefined;
  return m[1].startsWith('+') ? `${year}${value.slice(m[1].length)}` : value;
}

/** The kinds of values cursors carry. */
export const cursorField = {
  /** A row id. */
  uuid: (): CursorField<string> => ({ read: (v) => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : undefined) }),

  /** An ISO-8601 UTC timestamp string (kept as text: microseconds survive the round trip). */
  timestamp: (): CursorField<string> => ({ read: (v) => (typeof v === 'string' ? readTimestamp(v) : undefined) }),

  /** An integer in [min, max] (both within the safe integer range). */
  integer: (min: number, max: number): CursorField<number> => ({
    read: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : undefined),
  }),

  /** One of a fixed set of values (a sort name, a sentinel such as `infinity`). */
  oneOf: <const T extends string | number>(...values: T[]): CursorField<T> => ({
    read: (v) => (values.includes(v as T) ? (v as T) : undefined),
  }),

  /** The first field that accepts the value. */
  either: <A, B>(a: CursorField<A>, b: CursorField<B>): CursorField<A | B> => ({
    read: (v) => {
      const first = a.read(v);
      return first !== undefined ? first : b.read(v);
    },
  }),
};

type Fields<T extends readonly unknown[]> = { readonly [K in keyof T]: CursorField<T[K]> };

/**
 * The one cursor codec every list uses. A cursor is the sort key of a page's last row, as JSON in
 * base64url — opaque to clients. Decoding checks the text, the JSON and every value against the
 * list's fields, and throws `InvalidCursorError` (400 `INVALID_CURSOR`) on anything else.
 */
export class CursorCodec<T extends readonly unknown[]> {
  private readonly fields: Fields<T>;

  constructor(...fields: Fields<T>) {
    this.fields = fields;
  }

  encode(values: T): string {
    return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
  }

  decode(cursor: string): T {
    if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    if (!Array.isArray(parsed) || parsed.length !== this.fields.length) throw new InvalidCursorError();
    const values = this.fields.map((field, i) => field.read(parsed[i]));
    if (values.some((v) => v === undefined)) throw new InvalidCursorError();
    return values as unknown as T;
  }

  /** `undefined` when the request had no cursor (absent or empty: the first page). */
  decodeOptional(cursor: string | undefined): T | undefined {
    return cursor === undefined || cursor === '' ? undefined : this.decode(cursor);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether there is more. */
export function toPage<T, K extends readonly unknown[]>(rows: T[], limit: number, codec: CursorCodec<K>, keyOf: (last: T) => K): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length > 0 ? codec.encode(keyOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
