/** Unit tests: transpile-only (type-checking is `npm run typecheck`, its own step). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/e2e/"],
  transform: {
    // @kubernetes/client-node 1.x and its OIDC dependencies ship only ES modules; jest loads CommonJS.
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: { isolatedModules: true, allowJs: true, module: "commonjs", esModuleInterop: true } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)"],
  // Generous: no test may depend on an idle machine (two suites at once on 2 cores must pass). Tests that
  // wait for something use fake clocks, not this.
  testTimeout: 180000,
  // One worker per core (jest defaults to cores - 1, which is 1 on the 2-core CI machine).
  maxWorkers: "100%",
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
