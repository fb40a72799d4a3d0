/** Unit tests: transpile-only with swc (type-checking is `npm run typecheck`, its own step). */

/** The same output as tsc with tsconfig.json (ES2022, CommonJS, esModuleInterop, define semantics for class fields). */
function swc(syntax) {
  return {
    jsc: { parser: { syntax }, target: "es2022", transform: { useDefineForClassFields: true } },
    module: { type: "commonjs", noInterop: false },
    sourceMaps: "inline",
  };
}

// The workers inherit this (jest forks them after reading the config). Plans under the Pulumi SDK
// allocate hundreds of thousands of short-lived promises and outputs; with V8's default 16 MB young
// generation they are scavenged many times over. 64 MB: the whole suite measured 6 % less CPU
// (165 s against 174–177 s, warm cache, 2 cores).
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--max-semi-space-size=64"].filter(Boolean).join(" ");

module.exports = {
  // jest's node environment, plus disabling the AsyncLocalStorage each file's runner leaves enabled (see the file).
  testEnvironment: "<rootDir>/test/helpers/jest-environment.js",
  // jest's runtime, but each module is compiled once per worker and run in every file's own context (see the file).
  runtime: "<rootDir>/test/helpers/jest-runtime.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/e2e/"],
  // swc, not ts-jest: it transpiles the sources and the ES-module dependencies an order of magnitude
  // faster, which is most of a cold run (CI starts with an empty transform cache). Type-checking is tsc's.
  transform: {
    "^.+\\.ts$": ["@swc/jest", swc("typescript")],
    // @kubernetes/client-node 1.x and its OIDC dependencies ship only ES modules; jest loads CommonJS.
    "^.+\\.js$": ["@swc/jest", swc("ecmascript")],
  },
  // @pulumi/pulumi's closure serializer loads these on import; nothing here serializes closures (see the file).
  moduleNameMapper: {
    "^typescript$": "<rootDir>/test/helpers/lazy-typescript.js",
    "^@npmcli/arborist$": "<rootDir>/test/helpers/lazy-arborist.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)"],
  // Generous: no test may depend on an idle machine (two suites at once on 2 cores must pass). Tests that
  // wait for something use fake clocks, not this.
  testTimeout: 180000,
  // One worker per core (jest defaults to cores - 1, which is 1 on the 2-core CI machine).
  maxWorkers: "100%",
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
