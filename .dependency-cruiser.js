/**
 * The architecture, checked on every `npm test` (dependency-cruiser): a functional core under src/
 * that knows nothing of the Pulumi components, pure libraries that know nothing of Pulumi at all,
 * and no import cycles anywhere (type-only imports included).
 */
const PURE = "^src/(crd|apis|versions|routing|network|config)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "no-circular",
            severity: "error",
            comment: "An import cycle makes a module's meaning depend on load order; break it by moving the shared part down.",
            from: {},
            to: { circular: true },
        },
        {
            name: "core-not-on-components",
            severity: "error",
            comment: "src/ is the functional core and the CLI; components/ is the Pulumi shell around it, never the other way.",
            from: { path: "^src/" },
            to: { path: "^components/" },
        },
        {
            name: "pure-libraries-without-pulumi",
            severity: "error",
            comment: "These libraries are pure: config, routing and network planners, CRD and API checks, version rules. Pulumi stays in components/ and src/plan.",
            from: { path: PURE },
            to: { path: "node_modules/@pulumi/" },
        },
        {
            name: "pure-libraries-without-plan-or-cli",
            severity: "error",
            comment: "The pure libraries do not reach up into the plan runner, the CLI, preflight or the cutover.",
            from: { path: PURE },
            to: { path: "^src/(plan|cli|preflight|cutover)/" },
        },
        {
            name: "not-to-unresolvable",
            severity: "error",
            from: {},
            to: { couldNotResolve: true },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(dist|node_modules)/" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        combinedDependencies: false,
    },
};
