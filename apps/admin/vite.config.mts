import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

// The admin console: built by `npm run build` into dist/admin, served by the API at /admin.
// No React plugin: Vite transforms JSX itself (oxc); the plugin would only add Fast Refresh for `vite dev`.
export default defineConfig({
  root,
  base: '/admin/',
  logLevel: 'warn',
  // The client package as built by `npm run build` (sdk/build.js runs before this build): its ES module half.
  resolve: { alias: { '@identity-task/client': `${repo}sdk/dist/esm/index.js` } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: `${repo}dist/admin`,
    emptyOutDir: true,
    // Modern browsers only: no module-preload polyfill (it would be one more script), no legacy bundle.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
