import { DomainError } from '../errors';
import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('cursors', () => {
  it('round-trip opaque keyset values', () => {
    const cursor = encodeCursor(['2026-01-01T00:00:00.000Z', 'a1']);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-01-01T00:00:00.000Z', 'a1']);
  });

  it('reject tampered cursors with INVALID_CURSOR', () => {
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(DomainError);
    expect(() => decodeCursor(encodeCursor(['x']), 2)).toThrow(/cursor/);
  });

  it('builds a page from limit + 1 rows', () => {
    const page = toPage([{ id: 1 }, { id: 2 }, { id: 3 }], 2, (r) => [r.id]);
    expect(page.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual([2]);
    expect(toPage([{ id: 1 }], 2, (r) => [r.id]).nextCursor).toBeNull();
  });
});
