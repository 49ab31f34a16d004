#!/usr/bin/env node
// Builds the package with plain tsc, twice: ES modules into dist/esm, CommonJS into dist/cjs (each
// with its .d.ts); the generated schema.d.ts (types only) is copied beside them. Skips the work when
// dist/ is newer than every input (`--force` rebuilds anyway), so `npm run build` stays quick.
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const here = __dirname;
const inputs = [
  ...readdirSync(join(here, 'src')).map((name) => join(here, 'src', name)),
  ...['schema.d.ts', 'package.json', 'tsconfig.json', 'tsconfig.esm.json', 'tsconfig.cjs.json', 'build.js'].map((name) => join(here, name)),
];
const outputs = ['esm/index.js', 'esm/index.d.ts', 'cjs/index.js', 'cjs/index.d.ts', 'schema.d.ts'].map((name) => join(here, 'dist', name));

function current() {
  if (!outputs.every((file) => existsSync(file))) return false;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return inputs.every((file) => statSync(file).mtimeMs < built);
}

if (!process.argv.includes('--force') && current()) {
  process.stdout.write('sdk/dist is current\n');
  process.exit(0);
}
const tsc = require.resolve('typescript/bin/tsc', { paths: [here] });
rmSync(join(here, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.esm.json', 'tsconfig.cjs.json']) {
  const { status } = spawnSync(process.execPath, [tsc, '-p', join(here, config)], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
// Each half says which module system its .js files are; the package root says nothing (CommonJS).
writeFileSync(join(here, 'dist', 'esm', 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(here, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
copyFileSync(join(here, 'schema.d.ts'), join(here, 'dist', 'schema.d.ts'));
