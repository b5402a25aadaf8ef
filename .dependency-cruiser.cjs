/**
 * The direction of dependencies between the top-level folders, checked by `npm test` (scripts/test.ts runs
 * depcruise with this file; a violation fails the run):
 *
 *   checklists/ ← workers/analysis/ ← server/ ← workers/ (processors)      templates/ ← server/
 *   checklists/ ← server/domain/ ← server/services/ ← server/routes/, workers/processors/
 *
 * - checklists/ (the rulebook) imports nothing of ours;
 * - server/domain/ (pure rules) imports only itself and the rulebook's schema and vocabulary (checklists/);
 * - workers/analysis/ (the analyser library) imports only itself and checklists/;
 * - templates/ (DOCX builders on plain data) imports nothing of server/ or workers/;
 * - server/ never imports the worker process side (workers/ outside the analyser library);
 * - no import cycles anywhere.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle ties modules together so that neither can be read, tested or changed alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'checklists-imports-nothing-of-ours',
      severity: 'error',
      comment: 'The rulebook is data and its schema; everything else reads it.',
      from: { path: '^checklists/' },
      to: { path: '^(server|workers|templates|scripts|bench|test|bin)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain rules import only other domain rules and the rulebook\'s schema and vocabulary: no store, no HTTP, no queues.',
      from: { path: '^server/domain/' },
      to: { path: '^(server|workers|templates|checklists|scripts|bench|test|bin)/', pathNot: ['^server/domain/', '^checklists/(schema|vocabulary)\\.ts$'] },
    },
    {
      name: 'analyser-depends-only-on-checklists',
      severity: 'error',
      comment: 'The analyser is a self-contained library over the rulebook (the upload format check is part of its public API).',
      from: { path: '^workers/analysis/' },
      to: { path: '^(server|workers|templates|scripts|bench|test|bin)/', pathNot: '^workers/analysis/' },
    },
    {
      name: 'templates-take-plain-data',
      severity: 'error',
      comment: 'Report builders turn plain data into DOCX; the server maps its records onto that data.',
      from: { path: '^templates/' },
      to: { path: '^(server|workers|scripts|bench|test|bin)/' },
    },
    {
      name: 'server-does-not-import-the-worker-process',
      severity: 'error',
      comment: 'Workers call the service layer, never the reverse; the server may use the analyser library only.',
      from: { path: '^server/' },
      to: { path: '^workers/', pathNot: '^workers/analysis/' },
    },
    {
      name: 'routes-and-processors-go-through-services',
      severity: 'error',
      comment: 'Routes and job processors are thin entry points: they call use cases (server/services/), not the store.',
      from: { path: '^(server/routes|workers/processors)/' },
      to: { path: '^server/db/models/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { path: '^(server|workers|checklists|templates)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|server/web)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
