import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceResultsTable } from '../../bench/src/results';

// `npm run bench` refreshes the results table in docs/benchmarks.md between two markers.
const ROOT = join(__dirname, '..', '..');

describe('bench results table', () => {
  it('lives between the markers in docs/benchmarks.md, and a new run replaces only what is between them', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'benchmarks.md'), 'utf8');
    const updated = replaceResultsTable(doc, 'NEW TABLE\n');
    expect(updated).toBeDefined();
    const before = doc.slice(0, doc.indexOf('<!-- bench:results:start -->'));
    const after = doc.slice(doc.indexOf('<!-- bench:results:end -->'));
    expect(updated).toBe(`${before}<!-- bench:results:start -->\nNEW TABLE\n${after}`);
    // idempotent: a second run with the same table gives the same document
    expect(replaceResultsTable(updated!, 'NEW TABLE\n')).toBe(updated);
  });

  it('leaves a document without (or with misordered) markers alone', () => {
    expect(replaceResultsTable('# no markers\n', 'x')).toBeUndefined();
    expect(replaceResultsTable('<!-- bench:results:end -->\n<!-- bench:results:start -->\n', 'x')).toBeUndefined();
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).not.toContain('bench:results:start');
  });
});
