/**
 * The layer rule, checked in `npm test` (`npm run layers`). Each layer of lib/ imports only from
 * the layers before it, type-only imports included, and no module takes part in a cycle:
 *
 *   model → util → store → core → http → tasks → auth → compose → testing → cli → (index, extend)
 *
 * model: records, statuses, errors, signals (plain data); util: pure helpers; store: the store
 * interface and its back ends; core: executions, runtime, system (knows no task type); http: the
 * one HTTP client; tasks: the registry, the input reader, REST; auth: OAuth 2.0 grants over http;
 * compose: the default run (core + REST + grants); testing: flow_api/testing; cli: the `flow` shell.
 */
const LAYERS = ['model', 'util', 'store', 'core', 'http', 'tasks', 'auth', 'compose', 'testing', 'cli'];

const layerRules = LAYERS.map((layer, index) => ({
  name: `layer-${layer}`,
  comment: `lib/${layer} may import only from ${LAYERS.slice(0, index + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^lib/${layer}/` },
  to: { path: `^lib/(${LAYERS.slice(index + 1).join('|') || 'NONE'})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no cycle, type-only imports included',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'entries-only-at-the-top',
      comment: 'nothing inside lib imports the entry points lib/index.ts and lib/extend.ts',
      severity: 'error',
      from: { path: '^lib/.+/' },
      to: { path: '^lib/(index|extend)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^lib/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.d.ts'] },
  },
};
