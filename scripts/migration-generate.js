#!/usr/bin/env node
// `npm run migration:generate -- Name`: the TypeORM CLI against DATABASE_URL (through ormconfig.ts),
// then the new file is listed in migrations/index.ts.
const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const name = process.argv[2];
if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
  process.stderr.write('usage: npm run migration:generate -- <Name>   (letters and digits, e.g. AddTaskLabels)\n');
  process.exit(2);
}
const dir = join(__dirname, '..', 'migrations');
const before = new Set(readdirSync(dir));
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
try {
  execFileSync(join(__dirname, '..', 'node_modules', '.bin', 'typeorm'), ['-d', 'dist/ormconfig.js', 'migration:generate', `migrations/${name}`], { stdio: 'inherit' });
} catch (error) {
  process.exit(error.status ?? 1);
}
const created = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.ts'));
const { registerMigration } = require('../dist/libs/persistence/src/migration-files');
for (const file of created) {
  registerMigration(dir, join(dir, file));
  process.stdout.write(`Listed ${file} in migrations/index.ts\n`);
}
