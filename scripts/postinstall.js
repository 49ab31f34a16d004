#!/usr/bin/env node
// argon2 ships prebuilt binaries; on some CPUs/libc combinations the prebuilt one crashes on load.
// Check it in a child process and, only if it fails, compile it from source with npm's node-gyp
// (node-gyp-build then prefers build/Release over the prebuilds). No network is needed when Node's
// headers are installed beside it.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

const probe = "require('argon2').hash('probe',{timeCost:2,memoryCost:1024}).then(()=>process.exit(0),()=>process.exit(1))";
const works = () => spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;

let argon2Dir;
try {
  argon2Dir = dirname(require.resolve('argon2/package.json'));
} catch {
  process.exit(0); // not installed (e.g. a partial install); nothing to do
}
if (works()) process.exit(0);

const gyp =
  process.env.npm_config_node_gyp ||
  join(dirname(process.env.npm_execpath || ''), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
process.stdout.write('argon2: the prebuilt binary does not load here; compiling it from source\n');
const args = [gyp, 'rebuild'];
// Offline: compile against the headers installed with Node itself (e.g. Debian's /usr/include/node)
// rather than letting node-gyp download them, unless npm is configured with a nodedir.
const prefix = dirname(dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined);
if (nodedir) args.push(`--nodedir=${nodedir}`);
const result = spawnSync(process.execPath, args, { cwd: argon2Dir, stdio: 'inherit' });
if (result.status !== 0 || !works()) {
  process.stderr.write('argon2 could not be built: install python3, make and g++ and run `npm rebuild`\n');
  process.exit(1);
}
