import { DomainError } from '@app/core';
import { CursorCodec, cursorField, InvalidCursorError, toPage } from './cursor-codec';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const ID = '3f2c1d9e-8a7b-4c6d-9e0f-1a2b3c4d5e6f';

function expectInvalid(codec: CursorCodec<readonly unknown[]>, cursor: string) {
  let thrown: unknown;
  try {
    codec.decode(cursor);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidCursorError);
  expect(thrown).toBeInstanceOf(DomainError);
  expect(thrown).toMatchObject({ kind: 'invalid', code: 'INVALID_CURSOR' });
}

describe('CursorCodec', () => {
  const byTime = new CursorCodec(cursorField.timestamp(), cursorField.uuid());

  it('round-trips keyset values, microseconds included', () => {
    for (const at of ['2026-01-01T00:00:00.000Z', '2026-11-29T21:03:13.123456Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      expect(byTime.decode(byTime.encode([at, ID]))).toEqual([at, ID]);
    }
  });

  it('reads extended years (as Date#toISOString writes them) as text Postgres reads', () => {
    expect(byTime.decode(byTime.encode(['+020000-01-01T00:00:00.000Z', ID]))).toEqual(['20000-01-01T00:00:00.000Z', ID]);
    expect(byTime.decode(byTime.encode([new Date(8.64e15).toISOString(), ID]))).toEqual(['275760-09-13T00:00:00.000Z', ID]);
  });

  it('refuses text that is not base64url, JSON of another shape, and overlong cursors', () => {
    for (const cursor of ['not a cursor', 'a+b/c=', '%%%', b64('{"a":1}'), b64('[1,2'), b64('null'), b64('[]'), b64(JSON.stringify([ID])), 'A'.repeat(513), b64(JSON.stringify(['2026-01-01T00:00:00Z', ID, 1]))]) {
      expectInvalid(byTime, cursor);
    }
  });

  it('refuses uuids that are not uuids and timestamps Postgres cannot hold', () => {
    const bad = [
      ['2026-01-01T00:00:00Z', 'not-a-uuid'],
      ['2026-01-01T00:00:00Z', `${ID}x`],
      ['2026-01-01T00:00:00Z', 7],
      ['-271821-04-20T00:00:00.000Z', ID],
      ['+275760-09-13T00:00:00.001Z', ID],
      ['+300000-01-01T00:00:00.000Z', ID],
      ['+009999-01-01T00:00:00.000Z', ID],
      ['20000-01-01T00:00:00.000Z', ID],
      ['0000-01-01T00:00:00Z', ID],
      ['2026-02-30T00:00:00Z', ID],
      ['2026-13-01T00:00:00Z', ID],
      ['2026-01-01T24:00:00Z', ID],
      ['2026-01-01T00:00:60Z', ID],
      ['2026-01-01 00:00:00', ID],
      ['2026-01-01T00:00:00.1234567Z', ID],
      ['yesterday', ID],
      [1767225600000, ID],
      [null, ID],
    ];
    for (const values of bad) expectInvalid(byTime, b64(JSON.stringify(values)));
  });

  it('refuses numbers out of range, fractions, and huge or non-finite numbers', () => {
    const byNumber = new CursorCodec(cursorField.integer(0, Number.MAX_SAFE_INTEGER));
    expect(byNumber.decode(byNumber.encode([42]))).toEqual([42]);
    for (const text of ['[-1]', '[1.5]', '[1e300]', '[9007199254740993]', '["42"]', '[true]']) expectInvalid(byNumber, b64(text));
  });

  it('reads fixed values and alternatives', () => {
    const sorted = new CursorCodec(cursorField.oneOf('-dueAt'), cursorField.either(cursorField.timestamp(), cursorField.oneOf('infinity')), cursorField.uuid());
    expect(sorted.decode(sorted.encode(['-dueAt', 'infinity', ID]))).toEqual(['-dueAt', 'infinity', ID]);
    expectInvalid(sorted, sorted.encode(['dueAt' as '-dueAt', 'infinity', ID]));
    expectInvalid(sorted, b64(JSON.stringify(['-dueAt', '-infinity', ID])));
  });

  it('treats an absent or empty cursor as the first page', () => {
    expect(byTime.decodeOptional(undefined)).toBeUndefined();
    expect(byTime.decodeOptional('')).toBeUndefined();
    expectInvalid(byTime, '');
  });
});

describe('toPage', () => {
  it('builds a page from limit + 1 rows, with a cursor only when there is more', () => {
    const codec = new CursorCodec(cursorField.integer(0, 10));
    const page = toPage([{ id: 1 }, { id: 2 }, { id: 3 }], 2, codec, (r) => [r.id] as const);
    expect(page.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(codec.decode(page.nextCursor!)).toEqual([2]);
    expect(toPage([{ id: 1 }], 2, codec, (r) => [r.id] as const).nextCursor).toBeNull();
  });
});
