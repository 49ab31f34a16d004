#!/usr/bin/env node
// `npm run cli -- <command>`: runs the built CLI (dist/), building first only when dist/ is missing or
// older than a build input — so the CLI does not rewrite dist/ under a running service every time.
// Stale means: some file or directory under apps/, libs/, migrations/ (a directory's time changes when
// an entry is added, removed or renamed), ormconfig.ts or .swcrc changed after dist's CLI entry was written.
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const inputs = ['apps', 'libs', 'migrations', 'ormconfig.ts', '.swcrc'].map((p) => join(root, p));

/** Latest modification time (ms) of `path` and, for a directory, of everything under it. */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  let latest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

function builtAt() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return undefined;
  }
}

const built = builtAt();
const stale = built === undefined || inputs.some((input) => newest(input) > built);
if (stale) {
  process.stderr.write(built === undefined ? 'Building (dist/ is missing)…\n' : 'Building (sources changed since the last build)…\n');
  // The build's own output goes to stderr: stdout is the command's.
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('The build failed; the CLI did not run.\n');
    process.exit(result.status || 1);
  }
}
require(entry);
