import { ValidationFailedError } from '../errors';

/**
 * Opaque keyset cursors: the sort key values of the last item, base64url-encoded JSON. Clients must
 * treat them as opaque; the server validates the shape when it decodes one.
 */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === arity && parsed.every((v) => v === null || ['string', 'number'].includes(typeof v))) {
      return parsed as (string | number | null)[];
    }
  } catch {
    // fall through
  }
  throw new ValidationFailedError('The cursor is not valid', [{ field: 'cursor', message: 'invalid cursor' }], 'INVALID_CURSOR');
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether there is more. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => (string | number | null)[]): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length > 0 ? encodeCursor(cursorOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
