// ESLint (flat config): typescript-eslint's recommended rules for the TypeScript sources. The library
// boundaries (no cycles, no deep imports, layers) are dependency-cruiser's job (.dependency-cruiser.cjs);
// both run in `npm run lint`, which `npm test` runs first. Formatting is not linted (see
// docs/architecture.md, "Formatting").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'sdk/schema.d.ts', 'sdk/dist/**', '**/*.js', '**/*.cjs', '**/*.mjs', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are errors, except deliberate ones (`_`-prefixed, rest siblings used to omit fields).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Types do that job; the rule misfires on type-only globals.
      'no-undef': 'off',
      // `import x = require('…')` is how the bench imports CommonJS-only packages with their types.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
);
