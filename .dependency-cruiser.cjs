// Library boundaries (docs/architecture.md), checked by `npm run lint` (and so by `npm test`).
// A lib is libs/<name>/src; its public surface is its index.ts.

// The libs from the bottom up. A lib may import only libs of lower layers: that keeps the lib graph
// free of cycles (a cycle needs an import upwards or sideways) and says where a new lib fits. A lib
// that needs something from above declares a port (an abstract class in its domain/) and the lib
// above implements it; the composition root (apps/) wires the two.
const LAYERS = [
  ['core'],
  ['kernel', 'persistence'],
  ['audit', 'storage', 'notifications', 'otp'],
  ['users'],
  ['access'],
  ['auth'],
  ['credentials'],
  ['verification', 'federation'],
  ['tasks'],
];

const layering = LAYERS.flatMap((layer, i) =>
  layer.map((lib) => {
    const notBelow = LAYERS.slice(i).flat().filter((other) => other !== lib);
    return {
      name: `layers-${lib}`,
      severity: 'error',
      comment: `${lib} may import only libs below it: ${LAYERS.slice(0, i).flat().join(', ') || 'none'}.`,
      from: { path: `^libs/${lib}/` },
      to: { path: `^libs/(${notBelow.join('|')})/` },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layering,
    {
      name: 'admin-console-uses-the-public-api',
      severity: 'error',
      comment: 'The admin console (a browser app) reaches the service only through its public API: the SDK, never the libs or the server code.',
      from: { path: '^apps/admin/' },
      to: { path: '^(libs/|apps/(?!admin/)|migrations/)' },
    },
    {
      name: 'libs-are-listed',
      severity: 'error',
      comment: 'Every lib has its place in LAYERS (.dependency-cruiser.cjs).',
      from: { path: '^libs/' },
      to: { path: '^libs/', pathNot: `^libs/(${LAYERS.flat().join('|')})/` },
    },
    {
      name: 'index-exports-no-infrastructure',
      severity: 'error',
      comment: "A lib's index.ts exports its module, domain types and ports: nothing from infrastructure/.",
      from: { path: '^libs/[^/]+/src/index\\.ts$' },
      to: { path: '^libs/[^/]+/src/infrastructure/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles (between libs, and inside one through its barrel).',
      from: { path: '^(libs|apps)/' },
      to: { circular: true },
    },
    {
      name: 'no-deep-imports',
      severity: 'error',
      comment: "Another lib is reached through its index.ts only ('@app/x'), never '@app/x/...'.",
      from: { path: '^(libs/[^/]+|apps/[^/]+)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'domain-is-plain',
      severity: 'error',
      comment: 'domain/ holds plain types, rules and ports: no framework, ORM, HTTP or infrastructure.',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: {
        path: ['/infrastructure/', '/presentation/', '/application/', 'node_modules/(@nestjs|typeorm|fastify|@fastify|pg|pg-boss|class-validator|class-transformer|express|socket\\.io)/'],
      },
    },
    {
      name: 'presentation-without-infrastructure',
      severity: 'error',
      comment: 'Controllers, DTOs and gateways talk to use cases and ports, never to infrastructure.',
      from: { path: '^libs/[^/]+/src/presentation/' },
      to: { path: '^libs/[^/]+/src/infrastructure/' },
    },
    {
      name: 'foundation-stays-below-features',
      severity: 'error',
      comment: 'kernel, core and persistence know no feature lib.',
      from: { path: '^libs/(kernel|core|persistence)/' },
      to: { path: '^libs/', pathNot: '^libs/(kernel|core|persistence)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: { path: '^(libs|apps)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.spec\\.ts$', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.json', '.d.ts'] },
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
