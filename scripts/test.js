#!/usr/bin/env node
// `npm test`: build, type-check, lint (ESLint and the library boundary rules), check that the committed OpenAPI spec and client are current, then
// run every test tier with Jest. Ends with the line "N passed, N failed" (a check that fails before
// Jest runs counts as one failure, so a run that executed nothing never looks green).
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status;

function finish(passed, failed, skipped = 0) {
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(failed > 0 ? 1 : 0);
}

const steps = [
  ['build', () => run('npm', ['run', 'build', '--silent'])],
  ['type-check', () => run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])],
  // The admin console is a browser app with its own settings (DOM types, JSX).
  ['type-check of the admin console', () => run(bin('tsc'), ['-p', 'apps/admin/tsconfig.json'])],
  // ESLint and the library boundary rules (dependency-cruiser); both cache their results.
  ['lint (eslint + dependency rules)', () => run('npm', ['run', 'lint', '--silent'])],
  ['OpenAPI spec and client are current', () => run(process.execPath, ['scripts/sdk.js', '--check'])],
];
for (const [name, step] of steps) {
  if (step() !== 0) {
    process.stderr.write(`\n${name} failed\n`);
    finish(0, 1);
  }
}

const summary = join(tmpdir(), `jest-summary-${process.pid}.json`);
const jestArgs = ['--ci', ...process.argv.slice(2)];
const status = run(bin('jest'), jestArgs, { TEST_SUMMARY_FILE: summary });
if (!existsSync(summary)) finish(0, 1);
const counts = JSON.parse(readFileSync(summary, 'utf8'));
rmSync(summary, { force: true });
const failed = counts.failed + (status !== 0 && counts.failed === 0 ? 1 : 0);
finish(counts.passed, failed, counts.skipped);
