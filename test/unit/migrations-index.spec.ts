import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../migrations';

describe('migrations/index.ts', () => {
  it('lists every migration file, in timestamp order', () => {
    const files = readdirSync(join(__dirname, '../../migrations')).filter((f) => /^\d+-\w+\.ts$/.test(f)).sort();
    const listed = MIGRATIONS.map((m) => new m().name);
    expect(listed).toEqual(files.map((f) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1')));
  });
});
