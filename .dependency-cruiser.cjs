/**
 * Lantern's layering, checked by `npm run lint` (issue #7, item 6). Each rule names the reason it exists.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle makes load order matter and hides which layer depends on which.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'routes-not-through-app',
      comment: 'Route modules use server/http.ts; server/app.ts wires the modules and must not be imported by them.',
      severity: 'error',
      from: { path: '^server/(modules|auth)/' },
      to: { path: '^server/app\\.ts$' },
    },
    {
      name: 'modules-through-services',
      comment: "A module calls another module's service, never its queries (STYLE.md: how a request flows).",
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/modules/[^/]+/[^/]+\\.queries\\.ts$', pathNot: '^server/modules/$1/' },
    },
    {
      name: 'web-not-server',
      comment: 'The web app shares code with the server only through common/.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^server/' },
    },
    {
      name: 'common-stands-alone',
      comment: 'common/ is used by both sides, so it imports neither.',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: '^(server|web)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^web/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
